import { Scheduler } from '../../scheduler/index.js';
import { subprocessExecutor } from '../../scheduler/subprocess-executor.js';
import { builtinDags, openSchedulerStore } from '../dags.js';
import type { GlobalOptions } from '../globals.js';
import { lakeDir, type Runtime } from '../runtime.js';
import { globalArgs, selfCommand } from '../self-command.js';

/** The scheduler inside `pinpipe up`, running the built-in DAG's tasks as `pinpipe dag task` processes. */
export interface UpScheduler {
  readonly scheduler: Scheduler;
  readonly demo: boolean;
  stop(): Promise<void>;
}

/**
 * Start the scheduler of `pinpipe up`: the batch DAG on `scheduler.schedule` (catchup off by
 * default: at start the latest complete interval runs at once), or on `scheduler.demoSchedule`
 * for `--emulate`. The dashboard and the API read and drive it through `scheduler`.
 */
export async function startDagScheduler(rt: Runtime, g: GlobalOptions, opts: { demo: boolean }): Promise<UpScheduler> {
  const store = openSchedulerStore(rt.config);
  const scheduler = new Scheduler({
    store,
    dags: builtinDags(rt.config, rt.logger, { demo: opts.demo, store: rt.lake }),
    logger: rt.logger,
    executor: subprocessExecutor([...selfCommand(), ...globalArgs(g, rt.config.dataDir, rt.config.prefix)]),
  });
  await scheduler.start();
  return {
    scheduler,
    demo: opts.demo,
    async stop() {
      await scheduler.stop();
      store.close();
    },
  };
}

/** The `pinpipe up` banner line for the scheduler. */
export function schedulerLine(rt: Runtime, s: UpScheduler | undefined): string {
  if (!s) return '  scheduler    off (run the batch job with: pinpipe dag trigger <prefix>_dag --wait, or pinpipe batch run)';
  const [d] = s.scheduler.listDags();
  const tt = s.scheduler.dag(d.dagId).timetable!;
  const start = tt.alignNext(Date.now());
  const how = s.demo
    ? `demo schedule: every ${(tt.nextAfter(start) - start) / 1000} s (scheduler.demoSchedule ${d.schedule}), lake objects close every ${rt.config.sink.rotateIntervalMs / 1000} s, so results appear within a minute`
    : `${d.schedule} (${d.timezone}), catchup ${d.catchup ? 'on' : 'off'}`;
  return [
    `  scheduler    ${d.dagId}: read lake → clean pin|geo|user → results, ${how}`,
    `               → ${lakeDir(rt.config)}/tables/, results/ (runs: pinpipe dag runs ${d.dagId}; now: pinpipe dag trigger ${d.dagId}; read: pinpipe query --list)`,
  ].join('\n');
}
