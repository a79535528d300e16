import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PinpipeError } from '../../src/core/errors.js';
import type { TaskContext } from '../../src/scheduler/index.js';
import { harness } from './harness.js';

describe('retries with back-off and execution timeouts', () => {
  it('a task retried with exponential back-off: delays 1 s, 2 s, 4 s (capped at 3 s), every attempt recorded', async () => {
    let failures = 3;
    const spec = {
      id: 'r',
      retry: { retries: 3, delayMs: 1000, exponentialBackoff: true, maxDelayMs: 3000 },
      tasks: [
        {
          id: 'flaky',
          run: async (ctx: TaskContext) => {
            ctx.log(`try ${ctx.tryNumber}`);
            if (failures-- > 0) throw new Error(`boom ${ctx.tryNumber}`);
          },
        },
      ],
    };
    const h = await harness([spec], '2024-05-05T10:00:00Z');
    try {
      const run = h.scheduler.trigger('r');
      const t0 = h.clock.now();
      await h.clock.until(() => h.store.getRun(run.runId).state === 'success');
      const done = h.store.getRun(run.runId);
      const ti = done.tasks[0];
      assert.equal(ti.tryNumber, 4);
      assert.deepEqual(
        ti.attempts.map((a) => [a.tryNumber, a.state, a.error]),
        [
          [1, 'failed', 'boom 1'],
          [2, 'failed', 'boom 2'],
          [3, 'failed', 'boom 3'],
          [4, 'success', null],
        ],
      );
      // Each attempt starts its delay after the previous one ended: 1 s, 2 s, then 4 s capped at 3 s.
      const gaps = ti.attempts.slice(1).map((a, i) => a.startDate - ti.attempts[i].endDate!);
      assert.deepEqual(gaps, [1000, 2000, 3000]);
      assert.equal(done.endDate! - t0, 6000);
      assert.deepEqual(
        h.store.taskLog(run.runId, 'flaky', 2).map((l) => l.line),
        ['try 2', 'attempt 2 failed: boom 2'],
      );
    } finally {
      await h.close();
    }
  });

  it('retries run out: the task and the run fail; a non-retryable coded error is not retried', async () => {
    const spec = {
      id: 'x',
      retry: { retries: 2, delayMs: 500 },
      tasks: [
        {
          id: 'always',
          run: async () => {
            throw new Error('no');
          },
        },
        {
          id: 'bad_input',
          run: async () => {
            throw new PinpipeError('BATCH_INVALID_DATE');
          },
        },
      ],
    };
    const h = await harness([spec], '2024-05-05T10:00:00Z');
    try {
      const run = h.scheduler.trigger('x');
      await h.clock.until(() => h.store.getRun(run.runId).state === 'failed');
      const tasks = Object.fromEntries(h.store.getRun(run.runId).tasks.map((t) => [t.taskId, t]));
      assert.equal(tasks.always.state, 'failed');
      assert.equal(tasks.always.attempts.length, 3);
      assert.equal(tasks.bad_input.attempts.length, 1);
      assert.match(tasks.bad_input.attempts[0].error!, /^BATCH_INVALID_DATE/);
    } finally {
      await h.close();
    }
  });

  it('an attempt longer than its execution timeout is stopped (its signal aborts), recorded as TASK_TIMEOUT and retried', async () => {
    const seen: string[] = [];
    const spec = {
      id: 't',
      executionTimeoutMs: 60_000,
      retry: { retries: 1, delayMs: 10_000 },
      tasks: [
        {
          id: 'hangs',
          run: (ctx: TaskContext) =>
            new Promise<void>((resolve, reject) => {
              if (ctx.tryNumber === 2) return resolve(); // the retry is quick
              ctx.signal.addEventListener('abort', () => {
                seen.push(`aborted try ${ctx.tryNumber}`);
                reject(ctx.signal.reason as Error);
              });
            }),
        },
      ],
    };
    const h = await harness([spec], '2024-05-05T10:00:00Z');
    try {
      const run = h.scheduler.trigger('t');
      await h.clock.advance(59_999);
      assert.equal(h.store.getRun(run.runId).tasks[0].state, 'running');
      await h.clock.advance(1);
      const ti = h.store.getRun(run.runId).tasks[0];
      assert.equal(ti.state, 'up_for_retry');
      assert.match(ti.attempts[0].error!, /^TASK_TIMEOUT/);
      assert.deepEqual(seen, ['aborted try 1']);
      await h.clock.until(() => h.store.getRun(run.runId).state === 'success');
      assert.equal(h.store.getRun(run.runId).tasks[0].attempts[1].startDate - ti.attempts[0].endDate!, 10_000);
    } finally {
      await h.close();
    }
  });
});
