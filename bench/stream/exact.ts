// Exact end-to-end latencies from the durable artifacts alone, as a check on the histogram: each
// record's log acknowledgement time (`appendedAt`) against the commit time of the first Delta
// commit of its table whose recorded positions cover it. Exact when every micro-batch commits
// (unique keys); commits of batches that change nothing are deferred, which would inflate it.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { openSqliteLog } from '../../src/log/sqlite/sqlite-log.js';
import { KINDS } from './probe.js';

interface CommitMark {
  timestamp: number;
  /** Shard → position of the last record the commit covers. */
  positions: Record<string, string>;
}

function commitMarks(tableDir: string, appId: string): CommitMark[] {
  const dir = join(tableDir, '_delta_log');
  const out: CommitMark[] = [];
  for (const name of readdirSync(dir)
    .filter((n) => /^\d{20}\.json$/.test(n))
    .sort()) {
    const actions = readFileSync(join(dir, name), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, any>);
    if (!actions.some((a) => a.txn?.appId === appId)) continue;
    const info = actions.find((a) => a.commitInfo)?.commitInfo;
    if (info?.pinpipeStream) out.push({ timestamp: info.timestamp as number, positions: info.pinpipeStream.positions as Record<string, string> });
  }
  return out;
}

/** Whether a commit whose last position of the shard is `upTo` covers the record at `position`. */
function covers(log: { comparePositions(a: string, b: string): number }, upTo: string | undefined, position: string): boolean {
  return upTo !== undefined && log.comparePositions(position, upTo) <= 0;
}

/** Latencies (ms) of the records appended at or after `fromMs` (epoch) and before `toMs`. */
export async function exactLatencies(dataDir: string, prefix: string, fromMs: number, toMs: number): Promise<number[]> {
  const log = await openSqliteLog({ path: join(dataDir, 'log', 'pinpipe.db') });
  const out: number[] = [];
  try {
    for (const kind of KINDS) {
      const stream = `streaming-${prefix}-${kind}`;
      const marks = commitMarks(join(dataDir, 'lake', 'tables', `${prefix}_${kind}_table`), `pinpipe-stream-${kind}`);
      const info = await log.describeTopic(stream);
      for (let p = 0; p < (info?.partitions ?? 0); p++) {
        let m = 0;
        for await (const batch of log.read(stream, p, { kind: 'timestamp', timestampMs: fromMs }, { follow: false, maxRecords: 50_000 })) {
          for (const r of batch) {
            if (r.appendedAt < fromMs || r.appendedAt >= toMs) continue;
            while (m < marks.length && !covers(log, marks[m].positions[String(p)], r.position)) m++;
            if (m < marks.length) out.push(marks[m].timestamp - r.appendedAt);
          }
        }
      }
    }
  } finally {
    await log.close();
  }
  return out.sort((a, b) => a - b);
}
