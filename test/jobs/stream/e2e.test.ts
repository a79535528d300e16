import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { streamNames } from '../../../src/core/config.js';
import { createDataset } from '../../../src/emulator/index.js';
import { streamTableKeys } from '../../../src/jobs/stream/index.js';
import { openSqliteLog } from '../../../src/log/sqlite/sqlite-log.js';
import { RECORD_KINDS, type RecordKind } from '../../../src/transforms/index.js';
import { readDeltaTableIndependently } from '../../helpers/independent-delta.js';
import type { StatusReport } from '../../../src/cli/commands/status-text.js';
import { startPinpipe } from '../../helpers/server.js';
import { tempDir } from '../../helpers/temp.js';
import { expectedRows, sortByInd, until } from './helpers.js';

const run = promisify(execFile);
const PREFIX = 'e2e';
const STREAMS = streamNames(PREFIX);
const TABLES = streamTableKeys(PREFIX);

describe('pinpipe up + pinpipe emulate --mode stream', () => {
  it('puts every emulated record in the streamed tables, cleaned, one row per ind; status reports it', async (ctx) => {
    const { dir, cleanup } = tempDir('pinpipe-stream-e2e');
    const data = join(dir, 'data');
    const cli = (args: string[]) =>
      run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--data-dir', data, '--prefix', PREFIX, ...args], {
        env: { ...process.env, PINPIPE_LOG_LEVEL: 'warn' },
        timeout: 120_000,
      });
    const server = await startPinpipe(['--data-dir', data, '--prefix', PREFIX, 'up', '--port', '0'], { PINPIPE_STREAM_MIN_INTERVAL_MS: '50' });
    try {
      const { stdout } = await cli([
        'emulate',
        '--url',
        server.url,
        '--mode',
        'stream',
        '--rows',
        '200',
        '--iterations',
        '300',
        '--no-sleep',
        '--concurrency',
        '3',
      ]);
      const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as { recordsAcked: number; recordsFailed: number };
      assert.deepEqual([result.recordsAcked, result.recordsFailed], [900, 0]);
      const doneAt = Date.now();
      const lake = join(data, 'lake');
      await until(
        async () => {
          for (const kind of RECORD_KINDS) {
            const t = await readDeltaTableIndependently(join(lake, TABLES[kind])).catch(() => undefined);
            if (!t || t.txns[`pinpipe-stream-${kind}`] === undefined) return false;
          }
          // No --url: status finds the server through the runtime file `up` wrote in the data dir.
          const { stdout: s } = await cli(['status', '--format', 'json']);
          const r = JSON.parse(s) as StatusReport;
          return r.running && 'streams' in r.status.stream && r.status.stream.streams.every((x) => x.lag === 0 && x.processed === 300);
        },
        30_000,
        'the tables to catch up',
      );
      ctx.diagnostic(`caught up ${Date.now() - doneAt} ms after the emulator's last acknowledgement (including status polling)`);

      const { stdout: statusText } = await cli(['status']);
      assert.match(statusText, /streaming-e2e-pin\s+300\s+300\s+0\s/);
      assert.match(statusText, /latency p50 \/ p95 \/ p99/);
      const live = JSON.parse((await cli(['status', '--format', 'json'])).stdout) as StatusReport;
      assert.ok(live.running && 'streams' in live.status.stream);
      const streams = live.status.stream.streams;
      assert.deepEqual(
        streams.map((l) => [l.stream, l.latency.sinceStart.count]),
        RECORD_KINDS.map((k) => [STREAMS[k], 300]),
      );
      assert.ok(
        streams.every((l) => l.latency.sinceStart.p99! > 0 && l.latency.sinceStart.p99! < 5),
        JSON.stringify(streams.map((l) => l.latency)),
      );
    } finally {
      assert.equal(await server.stop('SIGTERM'), 0, server.output());
    }
    try {
      const log = await openSqliteLog({ path: join(data, 'log', 'pinpipe.db') });
      const dataset = createDataset({ rows: 200, seed: 42 });
      const known: Record<RecordKind, Set<string>> = { pin: new Set(), geo: new Set(), user: new Set() };
      for (let i = 0; i < 200; i++) for (const kind of RECORD_KINDS) known[kind].add(JSON.stringify(dataset.row(i)[kind]));
      for (const kind of RECORD_KINDS) {
        const values: string[] = [];
        for await (const b of log.read(STREAMS[kind], 0, { kind: 'earliest' }, { follow: false })) values.push(...b.map((r) => r.value));
        assert.equal(values.length, 300);
        assert.ok(
          values.every((v) => known[kind].has(v)),
          `${kind}: the stream holds the dataset's records as the emulator sent them`,
        );
        const t = await readDeltaTableIndependently(join(data, 'lake', TABLES[kind]));
        assert.deepEqual(sortByInd(t.rows), expectedRows(kind, values, t.schema), kind);
      }
      await log.close();
    } finally {
      cleanup();
    }
  });
});
