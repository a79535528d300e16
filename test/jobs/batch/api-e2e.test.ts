import assert from 'node:assert/strict';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { createLogger } from '../../../src/core/logger.js';
import { runEmulator } from '../../../src/emulator/index.js';
import type { BatchReport } from '../../../src/jobs/batch/index.js';
import { RECORD_KINDS, type RecordKind } from '../../../src/transforms/index.js';
import { startPinpipe } from '../../helpers/server.js';
import { tempDir } from '../../helpers/temp.js';
import { pinpipe } from './cli.js';
import { assertMatchesReference, readLakeLines } from './expect.js';
import type { RawLine } from './lake.js';
import { ALL_TABLES, readChecked } from './tables.js';

/** Values a producer may post that the cleaning must reject (the API takes any JSON value). */
const BAD_VALUES: Record<RecordKind, unknown[]> = {
  pin: ['just a string', [1, 2], 12.5, null, { title: 'no index' }, { index: 'abc' }, { index: 1.5 }, { index: '-3' }],
  geo: [{ country: 'Chad' }, { ind: true }, 'geo?'],
  user: [{ first_name: 'A' }, { ind: [1] }, false],
};

describe('batch job on records posted through the API', () => {
  it('cleans exactly what docs/data.md §3-4 say and stores every result set as the reference computes it; every table reads the same independently', async () => {
    const { dir, cleanup } = tempDir('pinpipe-batch-e2e');
    try {
      const server = await startPinpipe(['--data-dir', dir, 'up', '--port', '0', '--no-batch', '--no-stream'], {
        PINPIPE_SINK_FLUSH_SIZE: '60',
        PINPIPE_SINK_ROTATE_INTERVAL_MS: '200',
        PINPIPE_LOG_FSYNC: 'off',
      });
      let posted = 0;
      try {
        const r = await runEmulator({
          url: server.url,
          prefix: 'pinterest',
          rows: 300,
          seed: 42,
          iterations: 900,
          noSleep: true,
          batchSize: 30,
          concurrency: 2,
          logger: createLogger('silent'),
        });
        assert.equal(r.recordsFailed, 0);
        posted += r.recordsAcked;
        for (const kind of RECORD_KINDS) {
          const res = await fetch(`${server.url}/topics/pinterest.${kind}`, {
            method: 'POST',
            headers: { 'content-type': 'application/vnd.kafka.json.v2+json' },
            body: JSON.stringify({ records: BAD_VALUES[kind].map((value) => ({ value })) }),
          });
          assert.equal(res.status, 200);
          posted += BAD_VALUES[kind].length;
        }
        // Wait until the sink has put every record into the lake.
        const lake = join(dir, 'lake');
        for (let i = 0; ; i++) {
          const n = (await Promise.all(RECORD_KINDS.map((k) => readLakeLines(lake, `pinterest.${k}`)))).reduce((a, l) => a + l.length, 0);
          if (n === posted) break;
          assert.ok(i < 300, `the lake holds ${n} of ${posted} records`);
          await sleep(100);
        }
      } finally {
        await server.stop();
      }

      const run = await pinpipe(['--data-dir', dir, 'batch', 'run', '--date', '2024-06-01', '--json']);
      assert.equal(run.code, 0, run.stderr);
      const report = JSON.parse(run.stdout) as BatchReport;
      const lake = join(dir, 'lake');
      const lines = {} as Record<RecordKind, RawLine[]>;
      for (const kind of RECORD_KINDS) lines[kind] = await readLakeLines(lake, `pinterest.${kind}`);
      for (const kind of RECORD_KINDS) assert.equal(report.read[kind].records, lines[kind].length);
      assert.deepEqual(report.rejects.pin, { bad_key: 3, missing_key: 1, not_object: 4 });
      assert.deepEqual(report.rejects.geo, { bad_key: 1, missing_key: 1, not_object: 1 });
      assert.deepEqual(report.rejects.user, { bad_key: 1, missing_key: 1, not_object: 1 });
      await assertMatchesReference(lake, lines);
      for (const key of ALL_TABLES) await readChecked(lake, key);
      const pins = await readChecked(lake, 'tables/pin');
      assert.ok(pins.length > 200 && pins.length <= 300, `${pins.length} distinct pins of a 300-row dataset`);
      const geo = (await readChecked(lake, 'tables/geo'))[0];
      assert.ok(Array.isArray(geo.coordinates) && (geo.coordinates as unknown[]).every((c) => typeof c === 'number'), 'coordinates: array<double>');
      assert.ok(geo.timestamp instanceof Date, 'timestamp: a timestamp');
      assert.equal(typeof pins.find((p) => p.follower_count !== null)!.follower_count, 'number', 'follower_count: an int');

      const again = await pinpipe(['--data-dir', dir, 'batch', 'run', '--date', '2024-06-01', '--json']);
      assert.ok(
        Object.values((JSON.parse(again.stdout) as BatchReport).tables).every((t) => t.status === 'skipped'),
        'same date twice: nothing committed',
      );
    } finally {
      cleanup();
    }
  });
});
