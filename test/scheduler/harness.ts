import { join } from 'node:path';
import { pino } from 'pino';
import { defineDag, Scheduler, SchedulerStore, type DagSpec } from '../../src/scheduler/index.js';
import { tempDir } from '../helpers/temp.js';
import { FakeClock } from './fake-clock.js';

/** A scheduler on a fresh store with a fake clock starting at `start`, and its teardown. */
export async function harness(specs: DagSpec[], start: string, opts: { scheduling?: boolean; pollMs?: number } = {}) {
  const tmp = tempDir('pinpipe-sched');
  const clock = new FakeClock(Date.parse(start));
  const store = new SchedulerStore(join(tmp.dir, 'scheduler.db'));
  const scheduler = new Scheduler({ store, dags: specs.map(defineDag), clock, logger: pino({ level: 'silent' }), pollMs: 3600_000, ...opts });
  await scheduler.start();
  await clock.settle();
  return {
    clock,
    store,
    scheduler,
    runs: (dagId: string) => store.listRuns(dagId).reverse(),
    async close() {
      await scheduler.stop();
      store.close();
      tmp.cleanup();
    },
  };
}

/** A task body that records what it ran. */
export function recorder() {
  const calls: { task: string; ds: string; logicalDate: string; try: number }[] = [];
  const task = (id: string, upstream: string[] = []) => ({
    id,
    upstream,
    run: async (ctx: { taskId: string; ds: string; logicalDate: number; tryNumber: number; log(l: string): void }) => {
      calls.push({ task: ctx.taskId, ds: ctx.ds, logicalDate: new Date(ctx.logicalDate).toISOString(), try: ctx.tryNumber });
      ctx.log(`ran ${ctx.taskId} for ${ctx.ds}`);
    },
  });
  return { calls, task };
}
