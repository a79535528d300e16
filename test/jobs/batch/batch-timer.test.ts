import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { createLogger } from '../../../src/core/logger.js';
import { startBatchTimer } from '../../../src/jobs/batch/batch-timer.js';
import { startPinpipe } from '../../helpers/server.js';
import { tempDir } from '../../helpers/temp.js';

const logger = createLogger('silent');

describe('batch timer', () => {
  it('runs at once on a lake that never ran, then every interval after the last attempt; never two at a time', async () => {
    const starts: number[] = [];
    let running = 0;
    const t0 = Date.now();
    const timer = startBatchTimer({
      intervalMs: 150,
      logger,
      lastCommitAt: async () => undefined,
      run: async () => {
        assert.equal(running++, 0, 'runs overlap');
        starts.push(Date.now() - t0);
        await sleep(100);
        running--;
      },
    });
    await sleep(700);
    await timer.stop();
    assert.ok(starts[0] < 150, `first run at ${starts[0]} ms`);
    assert.ok(starts.length >= 3 && starts.length <= 5, `${starts.length} runs: ${starts.join(', ')}`);
    for (let i = 1; i < starts.length; i++)
      assert.ok(starts[i] - starts[i - 1] >= 140, `runs ${starts[i - 1]} and ${starts[i]} are less than an interval apart`);
  });

  it('waits for the interval after the last commit in the lake, retries a failed run after the retry delay, and stop() waits for a run in progress', async () => {
    const starts: number[] = [];
    const t0 = Date.now();
    let finished = false;
    const timer = startBatchTimer({
      intervalMs: 300,
      retryDelayMs: 50,
      logger,
      lastCommitAt: async () => t0 - 100, // committed 100 ms ago: due in 200 ms
      run: async () => {
        starts.push(Date.now() - t0);
        if (starts.length === 1) throw new Error('first run fails');
        await sleep(150);
        finished = true;
      },
    });
    for (let i = 0; starts.length < 2 && i < 100; i++) await sleep(10);
    await sleep(20);
    assert.equal(starts.length, 2, `runs at ${starts.join(', ')}`);
    assert.ok(starts[0] >= 190 && starts[0] < 300, `first run at ${starts[0]} ms`);
    assert.ok(starts[1] - starts[0] >= 45 && starts[1] - starts[0] < 110, `retry at ${starts[1]} ms`);
    const stopAt = Date.now();
    await timer.stop();
    assert.ok(finished, 'stop() waited for the run in progress');
    assert.ok(Date.now() - stopAt < 200, 'and no longer');
    const n = starts.length;
    await sleep(400);
    assert.equal(starts.length, n, 'no run after stop()');
  });

  it('pinpipe up runs the batch job on its timer (at once on a fresh lake), and not with --no-batch', async () => {
    const { dir, cleanup } = tempDir('pinpipe-batch-up');
    try {
      const up = await startPinpipe(['--data-dir', join(dir, 'a'), 'up', '--port', '0', '--no-stream'], { PINPIPE_LOG_FSYNC: 'off' });
      const off = await startPinpipe(['--data-dir', join(dir, 'b'), 'up', '--port', '0', '--no-stream', '--no-batch'], { PINPIPE_LOG_FSYNC: 'off' });
      try {
        assert.match(up.output(), /batch job {4}every 24 h/);
        assert.match(off.output(), /batch job {4}off/);
        for (let i = 0; !existsSync(join(dir, 'a', 'lake', 'results', 'users_joined_by_year', '_delta_log')); i++) {
          assert.ok(i < 200, `no batch run after start:\n${up.output()}`);
          await sleep(50);
        }
        assert.ok(!existsSync(join(dir, 'b', 'lake', 'tables')));
      } finally {
        await Promise.all([up.stop(), off.stop()]);
      }
    } finally {
      cleanup();
    }
  });
});
