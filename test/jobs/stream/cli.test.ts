import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { generateRow } from '../../../src/emulator/index.js';
import { openSqliteLog } from '../../../src/log/sqlite/sqlite-log.js';
import { tempDir } from '../../helpers/temp.js';
import { until } from './helpers.js';

const run = promisify(execFile);

describe('pinpipe stream and pinpipe status', () => {
  it('runs the job alone (records written by another process), serves /metrics, and stops cleanly', async () => {
    const { dir, cleanup } = tempDir('pinpipe-stream-cli');
    const args = ['--import', 'tsx', 'src/cli/main.ts', '--data-dir', dir, '--prefix', 'cli'];
    const env = { ...process.env, PINPIPE_LOG_LEVEL: 'warn', PINPIPE_STREAM_MIN_INTERVAL_MS: '50' };
    const proc = spawn(process.execPath, [...args, 'stream', '--metrics-port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await until(() => /metrics\s+http/.test(out), 30_000, `the metrics line:\n${out}`);
      const url = /metrics\s+(http:\/\/\S+)\/metrics/.exec(out)![1];
      const log = await openSqliteLog({ path: join(dir, 'log', 'pinpipe.db'), fsync: 'off' });
      await log.append(
        'streaming-cli-geo',
        Array.from({ length: 20 }, (_, i) => ({ value: JSON.stringify(generateRow(i, 1).geo) })),
      );
      await log.close();
      await until(
        async () => {
          const { stdout } = await run(process.execPath, [...args, 'status', '--json', '--url', url], { env });
          const s = JSON.parse(stdout) as {
            durable: { streams: { kind: string; lag: number; table?: { rows: number } }[] };
            live: { stream: string; records: { appended: number } }[];
          };
          return (
            s.durable.streams.find((x) => x.kind === 'geo')?.table?.rows === 20 && s.live.find((x) => x.stream === 'streaming-cli-geo')?.records.appended === 20
          );
        },
        30_000,
        'the status to show the rows',
      );
      proc.kill('SIGTERM');
      const [code] = (await once(proc, 'exit')) as [number | null];
      assert.equal(code, 0, out);
      const { stdout } = await run(process.execPath, [...args, 'status', '--no-metrics'], { env });
      assert.match(stdout, /streaming-cli-geo\s+1\s+20\s+20\s+0\s+cli_geo_table/);
    } finally {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      cleanup();
    }
  });
});
