import type { OffsetLog } from '../../log/log.js';

/** What the lake holds of one partition the sink copies, from the log and the sink's committed position. */
export interface SinkPartitionStatus {
  topic: string;
  partition: number;
  /** Records in the log partition. */
  logEnd: number;
  /** Records the sink has written into lake objects and committed. */
  inLake: number;
  /** logEnd − inLake: records in the log not yet in the lake (including the ones of an object still open). */
  lag: number;
}

/** The lake sink: what it has copied (durable, so it reads the same from any process) and, when it runs in this process, its live counters. */
export interface SinkStatus {
  /** `running` in this process, `off` when this process runs no sink (another process may). */
  state: 'running' | 'off';
  group: string;
  partitions: SinkPartitionStatus[];
  /** Sum of the partitions' lag. */
  lag: number;
  /** Since this process started (running sinks only). */
  recordsWritten?: number;
  /** Partition copies that failed and were restarted (running sinks only). */
  failures?: number;
  /** When the last one failed (epoch ms; 0 when none). */
  lastFailureAt?: number;
}

/** The group the lake sink commits its positions under. */
export const SINK_GROUP = 'pinpipe-lake-sink';

/** Per partition of every topic matching `topicsRegex` (a whole-name match): log end, records in the lake, lag. */
export async function readSinkProgress(log: OffsetLog, topicsRegex: string, group = SINK_GROUP): Promise<SinkPartitionStatus[]> {
  const pattern = new RegExp(`^(?:${topicsRegex})$`);
  const out: SinkPartitionStatus[] = [];
  for (const t of await log.listTopics()) {
    if (!pattern.test(t.name)) continue;
    const committed = await log.fetchPositions(group, t.name);
    for (let p = 0; p < t.partitions; p++) {
      const logEnd = (await log.offsets(t.name, p)).end;
      const position = committed.get(p);
      // The committed position is the last record of the last object written.
      const inLake = position === undefined ? 0 : Math.min(logEnd, log.offsetOf(position) + 1);
      out.push({ topic: t.name, partition: p, logEnd, inLake, lag: Math.max(0, logEnd - inLake) });
    }
  }
  return out.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
}
