import { batchTopics, streamNames } from '../core/config.js';
import type { OffsetLog } from '../log/log.js';
import { RECORD_KINDS, type RecordKind } from '../transforms/index.js';

/** One topic or stream of the log. */
export interface LogTopicStatus {
  name: string;
  /** `topic`: the batch path (`<prefix>.pin` …); `stream`: the speed path (`streaming-<prefix>-pin` …); `other`: anything else clients created. */
  role: 'topic' | 'stream' | 'other';
  /** The record kind of a pipeline topic or stream. */
  kind?: RecordKind;
  partitions: number;
  /** Records held (all partitions). */
  records: number;
  /** Records ever appended (all partitions): the sum of the partitions' next offsets. */
  end: number;
  createdAt: number;
}

/** Every topic and stream of the log with its record count and end, the pipeline's own first (pin, geo, user), then the rest by name. */
export async function readLogStatus(log: OffsetLog, prefix: string): Promise<LogTopicStatus[]> {
  const topics = batchTopics(prefix);
  const streams = streamNames(prefix);
  const roleOf = (name: string): Pick<LogTopicStatus, 'role' | 'kind'> => {
    for (const kind of RECORD_KINDS) {
      if (topics[kind] === name) return { role: 'topic', kind };
      if (streams[kind] === name) return { role: 'stream', kind };
    }
    return { role: 'other' };
  };
  const out: LogTopicStatus[] = [];
  for (const t of await log.listTopics()) {
    let records = 0;
    let end = 0;
    for (let p = 0; p < t.partitions; p++) {
      const o = await log.offsets(t.name, p);
      records += o.end - o.start;
      end += o.end;
    }
    out.push({ name: t.name, ...roleOf(t.name), partitions: t.partitions, records, end, createdAt: t.createdAt });
  }
  const rank = (t: LogTopicStatus): number =>
    t.role === 'other' ? RECORD_KINDS.length * 2 : RECORD_KINDS.indexOf(t.kind!) + (t.role === 'stream' ? RECORD_KINDS.length : 0);
  return out.sort((a, b) => rank(a) - rank(b) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
