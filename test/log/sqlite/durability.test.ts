import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { isError } from '../../../src/core/errors.js';
import { createLogger } from '../../../src/core/logger.js';
import { registry } from '../../../src/core/metrics.js';
import { openSqliteLog } from '../../../src/log/sqlite/sqlite-log.js';
import { landed, readAll } from '../log-contract.js';

describe('SqliteLog durability and sharing', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pinpipe-durable-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a second instance on the same file (another process) sees appends by polling, and both can append', async () => {
    const path = join(dir, 'shared', 'pinpipe.db');
    const a = await openSqliteLog({ path, fsync: 'off' });
    const b = await openSqliteLog({ path, fsync: 'off', pollIntervalMs: 50 });
    try {
      await a.createTopic('shared', { partitions: 1 });
      assert.equal((await b.describeTopic('shared'))?.partitions, 1, 'b sees a topic created after it opened');
      const ac = new AbortController();
      const seen: { value: string; at: number }[] = [];
      const reading = (async () => {
        for await (const batch of b.read('shared', 0, { kind: 'earliest' }, { signal: ac.signal }))
          seen.push(...batch.map((r) => ({ value: r.value, at: Date.now() })));
      })();
      await sleep(30);
      const sentAt = Date.now();
      landed(await a.append('shared', [{ value: 'x' }]));
      for (let i = 0; i < 100 && seen.length === 0; i++) await sleep(10);
      assert.deepEqual(
        seen.map((s) => s.value),
        ['x'],
      );
      assert.ok(seen[0].at - sentAt < 1000, `seen after ${seen[0].at - sentAt} ms (polling every 50 ms)`);
      // Both write: each notices the other's offsets (unique index) and continues after them.
      assert.equal(landed(await b.append('shared', [{ value: 'y' }]))[0].position, '1');
      assert.equal(landed(await a.append('shared', [{ value: 'z' }]))[0].position, '2');
      assert.deepEqual(
        (await readAll(a, 'shared', 0)).map((r) => `${r.position}:${r.value}`),
        ['0:x', '1:y', '2:z'],
      );
      ac.abort();
      await reading;
    } finally {
      await b.close();
      await a.close();
    }
  });

  it('rejects every caller of a batch that cannot be written with STORE_UNAVAILABLE, keeping nothing of it', async () => {
    const path = join(dir, 'busy', 'pinpipe.db');
    const log = await openSqliteLog({ path, fsync: 'off', busyTimeoutMs: 50, logger: createLogger('silent') });
    const blocker = new Database(path);
    try {
      await log.createTopic('busy', { partitions: 1 });
      landed(await log.append('busy', [{ value: 'before' }]));
      const errors0 =
        (await registry.getSingleMetric('pinpipe_log_errors_total')?.get())?.values.find((v) => v.labels.code === 'STORE_UNAVAILABLE')?.value ?? 0;
      blocker.exec('BEGIN IMMEDIATE'); // another connection holds the write lock
      const calls = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => log.append('busy', [{ value: `lost${i}` }, { value: `lost${i}b` }])));
      for (const c of calls) {
        assert.equal(c.status, 'rejected');
        assert.ok(isError(c.reason, 'STORE_UNAVAILABLE') && c.reason.retryable, String(c.status === 'rejected' && c.reason));
      }
      const errors1 =
        (await registry.getSingleMetric('pinpipe_log_errors_total')?.get())?.values.find((v) => v.labels.code === 'STORE_UNAVAILABLE')?.value ?? 0;
      assert.ok(errors1 > errors0, 'the failure is counted');
      blocker.exec('ROLLBACK');
      assert.equal(landed(await log.append('busy', [{ value: 'after' }]))[0].position, '1', 'the failed batch took no offsets');
      assert.deepEqual(
        (await readAll(log, 'busy', 0)).map((r) => r.value),
        ['before', 'after'],
      );
    } finally {
      blocker.close();
      await log.close();
    }
  });

  it('keeps every acknowledged record when the appending process is killed with SIGKILL', { timeout: 60_000 }, async () => {
    const path = join(dir, 'kill9', 'pinpipe.db');
    const fixture = fileURLToPath(new URL('./fixtures/append-loop.ts', import.meta.url));
    for (let round = 0; round < 2; round++) {
      const child = spawn(process.execPath, ['--import', 'tsx', fixture, path], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
      for (let i = 0; i < 500 && out.split('\n').length < 300; i++) await sleep(20);
      assert.ok(out.startsWith('ready\n'), `child did not start: ${err}`);
      await sleep(Math.random() * 300);
      child.kill('SIGKILL');
      assert.equal(await exited, 'SIGKILL');
      const lines = out.slice(0, out.lastIndexOf('\n')).split('\n').slice(1); // complete lines only
      assert.ok(lines.length >= 300, `only ${lines.length} acknowledged`);

      const log = await openSqliteLog({ path, fsync: 'off' });
      try {
        const stored = new Map<string, string>();
        for (const p of [0, 1]) {
          const records = await readAll(log, 'kill9', p);
          assert.deepEqual(
            records.map((r) => log.offsetOf(r.position)),
            records.map((_, i) => i),
            'no holes in the offsets',
          );
          for (const r of records) stored.set(`${p}/${r.position}`, r.value);
        }
        for (const line of lines) {
          const [value, partition, position] = line.split('\t');
          assert.equal(stored.get(`${partition}/${position}`), value, `acknowledged record ${partition}/${position} lost`);
        }
      } finally {
        await log.close();
      }
    }
  });
});
