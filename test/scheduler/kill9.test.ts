import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SchedulerStore } from '../../src/scheduler/index.js';
import { waitFor } from '../helpers/peers/index.js';
import { tempDir } from '../helpers/temp.js';

const start = (db: string, marks: string, ...extra: string[]): ChildProcess =>
  spawn(process.execPath, ['--import', 'tsx', 'test/scheduler/fixtures/scheduler-process.ts', db, marks, ...extra], { stdio: 'inherit' });

describe('a scheduler killed with SIGKILL mid-run', () => {
  it('after a restart: the cut-short attempt is marked failed, the task is retried per its policy, the run finishes; finished tasks do not run again', async () => {
    const tmp = tempDir('pinpipe-sched-kill');
    const db = join(tmp.dir, 'scheduler.db');
    const procs: ChildProcess[] = [];
    try {
      const a = start(db, tmp.dir, 'trigger');
      procs.push(a);
      await waitFor('the slow task to start', () => existsSync(join(tmp.dir, 'slow-1')), { timeoutMs: 120_000 });
      a.kill('SIGKILL');
      await once(a, 'exit');

      const store = new SchedulerStore(db);
      try {
        const [cut] = store.listRuns('k');
        assert.equal(cut.state, 'running');
        assert.equal(cut.tasks.find((t) => t.taskId === 'slow')!.attempts[0].state, 'running', 'the store still says running: nobody ended it');
        assert.equal(store.leaseHolder(), undefined, 'a dead holder does not hold the lease');

        const b = start(db, tmp.dir);
        procs.push(b);
        const done = await waitFor(
          'the run to end after the restart',
          () => {
            const [r] = store.listRuns('k');
            return r.state === 'success' || r.state === 'failed' ? r : undefined;
          },
          { timeoutMs: 120_000 },
        );
        assert.equal(done.state, 'success');
        const tasks = Object.fromEntries(done.tasks.map((t) => [t.taskId, t]));
        assert.deepEqual(
          tasks.slow.attempts.map((x) => [x.tryNumber, x.state]),
          [
            [1, 'failed'],
            [2, 'success'],
          ],
        );
        assert.match(tasks.slow.attempts[0].error!, /^TASK_INTERRUPTED/);
        // The retry waited its delay after the attempt was marked failed.
        assert.ok(tasks.slow.attempts[1].startDate - tasks.slow.attempts[0].endDate! >= 200);
        assert.equal(tasks.first.attempts.length, 1, 'first is not run again');
        assert.equal(tasks.last.attempts.length, 1);
        assert.ok(!existsSync(join(tmp.dir, 'first-2')));
        b.kill('SIGTERM');
        await once(b, 'exit');
      } finally {
        store.close();
      }
    } finally {
      for (const p of procs) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
      tmp.cleanup();
    }
  });
});
