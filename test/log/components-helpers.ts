import assert from 'node:assert/strict';
import { join } from 'node:path';
import { parseConfig } from '../../src/core/config.js';
import { createLogger } from '../../src/core/logger.js';
import { DeltaTable } from '../../src/delta/index.js';
import { generateRow } from '../../src/emulator/index.js';
import { readCheckpoint, readJobStatus, StreamJob } from '../../src/jobs/stream/index.js';
import { LocalObjectStore } from '../../src/lake/local/local-store.js';
import type { Log } from '../../src/log/log.js';
import { tempDir } from '../helpers/temp.js';
import { expectedRows, PREFIX, readTable, sortByInd, STREAMS, TABLES } from '../jobs/stream/helpers.js';
import { landed } from './log-contract.js';

/** Emulator geo payloads for inds `from..to-1`. */
export function geos(from: number, to: number): string[] {
  return Array.from({ length: to - from }, (_, i) => JSON.stringify(generateRow(from + i, 7).geo));
}

/** Append payloads to the geo stream of `log`, round-robin over its shards. */
async function putGeo(log: Log, values: readonly string[], shards: number): Promise<void> {
  landed(
    await log.append(
      STREAMS.geo,
      values.map((value, i) => ({ value, partition: i % shards })),
    ),
  );
}

/**
 * The stream job on `log` as it runs on any log: geo only (one DuckDB), caught up, stopped,
 * more records, restarted, caught up again. Checks the table (every ind once), the lag and status
 * through the log, the positions the table holds (each shard's last record) and, where the log
 * keeps consumer groups, that the job's group holds the same positions.
 */
export async function streamJobRoundTrip(log: Log, shards: number): Promise<void> {
  const { dir, cleanup } = tempDir('pinpipe-stream-backend');
  const lakeDir = join(dir, 'lake');
  const store = new LocalObjectStore(lakeDir, { fsync: false });
  const config = parseConfig({ prefix: PREFIX, stream: { minIntervalMs: 20, retryDelayMs: 50, shards } }).stream;
  const job = () => new StreamJob({ log, store, prefix: PREFIX, config, logger: createLogger('silent'), kinds: ['geo'] });
  try {
    await log.createTopic(STREAMS.geo, { partitions: shards });
    const first = [...geos(0, 30), ...geos(0, 5)]; // repeats: one row per ind
    await putGeo(log, first, shards);
    const a = job();
    await a.start();
    await a.caughtUp(120_000);
    await a.stop();
    const second = geos(30, 45);
    await putGeo(log, second, shards);
    const b = job();
    await b.start();
    await b.caughtUp(120_000);
    assert.equal((await b.streams.get('geo')!.progress()).lag, 0, 'no lag once caught up');
    await b.stop();
    const t = await readTable({ lakeDir }, 'geo');
    assert.deepEqual(sortByInd(t.rows), expectedRows('geo', [...first, ...second], t.schema), 'every ind once, across the restart');
    const status = (await readJobStatus({ log, store, prefix: PREFIX, jobId: config.jobId })).streams.find((s) => s.kind === 'geo')!;
    assert.deepEqual([status.shards, status.lag], [shards, 0]);
    const table = await DeltaTable.open(store, TABLES.geo);
    const cp = await readCheckpoint(table, `${config.jobId}-geo`);
    await table.close();
    for (let p = 0; p < shards; p++)
      assert.equal(cp?.cursors.get(p)?.position, await log.lastPosition(STREAMS.geo, p), `shard ${p} covered to its last record`);
    if (log.features.groupCommits) {
      const group = await log.fetchPositions(config.jobId, STREAMS.geo);
      for (let p = 0; p < shards; p++) assert.equal(group.get(p), cp?.cursors.get(p)?.position, `the consumer group holds the table's position of shard ${p}`);
    }
  } finally {
    cleanup();
  }
}
