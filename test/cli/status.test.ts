import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { StatusReport } from '../../src/cli/commands/status-text.js';
import { runtimeFilePath, type RuntimeInfo } from '../../src/cli/runtime-file.js';
import { freePort, waitFor } from '../helpers/peers/index.js';
import { startPinpipe } from '../helpers/server.js';
import { tempDir } from '../helpers/temp.js';
import { pinpipe } from '../jobs/batch/cli.js';

const KEY = 'a-status-test-key';

describe('pinpipe status and the runtime file of pinpipe up', () => {
  it('finds `up` on another port through the data dir, tells a left-over file from a running pipeline, and exits 1 when none runs', async () => {
    const { dir, cleanup } = tempDir('pinpipe-status-cli');
    const data = join(dir, 'data');
    const env = { PINPIPE_API_API_KEYS: JSON.stringify([KEY]), PINPIPE_LOG_FSYNC: 'off' };
    const status = (...args: string[]) => pinpipe(['--data-dir', data, '--prefix', 'sc', 'status', ...args], env);
    try {
      const port = await freePort();
      let server = await startPinpipe(['--data-dir', data, '--prefix', 'sc', 'up', '--port', String(port), '--no-batch'], env, 90_000);
      const info = JSON.parse(readFileSync(runtimeFilePath(data), 'utf8')) as RuntimeInfo;
      assert.deepEqual([info.pid, info.url, info.dashboard], [server.proc.pid, `http://127.0.0.1:${port}`, `http://127.0.0.1:${port}/`]);
      assert.match(server.output(), new RegExp(`dashboard\\s+http://127\\.0\\.0\\.1:${port}/`), 'the banner names the dashboard');

      const text = await status();
      assert.equal(text.code, 0, text.stdout + text.stderr);
      assert.match(text.stdout, new RegExp(`^pinpipe \\S+ at http://127\\.0\\.0\\.1:${port} \\(pid ${server.proc.pid}, up .*\\): ok`));
      assert.match(text.stdout, /Lake sink \(running/);
      assert.match(text.stdout, /Stream job \(running\)/);
      const json = await status('--format', 'json');
      assert.equal(json.code, 0);
      const report = JSON.parse(json.stdout) as StatusReport;
      assert.ok(report.running && report.status.pinpipe.pid === server.proc.pid && report.status.pinpipe.authRequired);

      // kill -9 leaves the file behind: status recognises it as stale.
      await server.stop('SIGKILL');
      assert.ok(existsSync(runtimeFilePath(data)));
      const stale = await status();
      assert.equal(stale.code, 1);
      assert.match(stale.stdout, new RegExp(`pinpipe is not running in .*: the runtime file of pid ${server.proc.pid} is left over`));
      assert.match(stale.stdout, /streaming-sc-pin\s+0\s+0\s+0\s+sc_pin_table/, 'and shows what the data dir holds');

      // A new `up` replaces it; a clean stop removes it.
      server = await startPinpipe(['--data-dir', data, '--prefix', 'sc', 'up', '--port', '0', '--no-batch'], env, 90_000);
      assert.equal((JSON.parse(readFileSync(runtimeFilePath(data), 'utf8')) as RuntimeInfo).pid, server.proc.pid);
      assert.equal((await status()).code, 0);
      assert.equal(await server.stop('SIGTERM'), 0, server.output());
      assert.ok(!existsSync(runtimeFilePath(data)), 'removed on exit');
      const stopped = await status('--format', 'json');
      assert.equal(stopped.code, 1);
      const r = JSON.parse(stopped.stdout) as StatusReport;
      assert.ok(!r.running && /no pinpipe up has recorded itself there/.test(r.reason));
    } finally {
      cleanup();
    }
  });

  it('exits 1 and names the failing component when the pipeline is degraded', async () => {
    const { dir, cleanup } = tempDir('pinpipe-status-degraded');
    const server = await startPinpipe(
      ['--data-dir', dir, '--prefix', 'dg', 'up', '--port', '0', '--no-batch', '--no-sink'],
      {
        PINPIPE_LOG_FSYNC: 'off',
        PINPIPE_STREAM_RETRY_DELAY_MS: '50',
      },
      90_000,
    );
    try {
      // A garbled commit where the stream job's next commit goes: every micro-batch of the pin stream now fails.
      const log = join(dir, 'lake', 'tables', 'dg_pin_table', '_delta_log');
      const versions = readdirSync(log).filter((f) => f.endsWith('.json'));
      writeFileSync(join(log, `${String(versions.length).padStart(20, '0')}.json`), 'this is not a delta commit\n');
      const res = await fetch(`${server.url}/streams/streaming-dg-pin/record`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ StreamName: 'streaming-dg-pin', Data: { index: 1, title: 't' }, PartitionKey: 'k' }),
      });
      assert.equal(res.status, 200);
      const r = await waitFor('status to report the failure', async () => {
        const s = await pinpipe(['--data-dir', dir, '--prefix', 'dg', 'status']);
        return s.code === 1 && /: degraded/.test(s.stdout) ? s : undefined;
      });
      assert.match(r.stdout, /! the stream job's streaming-dg-pin is failing: /);
    } finally {
      await server.stop();
      cleanup();
    }
  });
});
