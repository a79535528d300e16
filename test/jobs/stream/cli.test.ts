import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { generateRow } from '../../../src/emulator/index.js';
import { openSqliteLog } from '../../../src/log/sqlite/sqlite-log.js';
import { tempDir } from '../../helpers/temp.js';
import type { StatusReport } from '../../../src/cli/commands/status-text.js';
import { until } from './helpers.js';

const run = promisify(execFile);

describe('pinpipe stream and pinpipe status', () => {
  it('runs the job alone (records written by another process), serves /api/status, and stops cleanly', async () => {
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
          const { stdout } = await run(process.execPath, [...args, 'status', '--format', 'json', '--url', url], { env });
          const s = JSON.parse(stdout) as StatusReport;
          if (!s.running || !('streams' in s.status.stream)) return false;
          const geo = s.status.stream.streams.find((x) => x.stream === 'streaming-cli-geo');
          return geo?.records.appended === 20 && geo.lag === 0;
        },
        30_000,
        'the status to show the rows',
      );
      proc.kill('SIGTERM');
      const [code] = (await once(proc, 'exit')) as [number | null];
      assert.equal(code, 0, out);
      // Nothing runs now: status says so (exit 1) and shows what the tables committed.
      const after = await run(process.execPath, [...args, 'status'], { env }).then(
        () => assert.fail('status exits 1 when nothing runs'),
        (err: { code: number; stdout: string }) => err,
      );
      assert.equal(after.code, 1);
      assert.match(after.stdout, /pinpipe is not running in .*: no pinpipe up has recorded itself there/);
      assert.match(after.stdout, /streaming-cli-geo\s+20\s+20\s+0\s+cli_geo_table/);
    } finally {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      cleanup();
    }
  });
});
