import type { Config } from '../../core/config.js';
import { createLogger } from '../../core/logger.js';
import { Scheduler, type RunInfo } from '../../scheduler/index.js';
import { subprocessExecutor } from '../../scheduler/subprocess-executor.js';
import { builtinDags, openSchedulerStore } from '../dags.js';
import type { GlobalOptions } from '../globals.js';
import { existingConfigFrom } from '../runtime.js';
import { globalArgs, selfCommand } from '../self-command.js';

/** A scheduler over the data dir's store that creates no scheduled runs: what the `dag` commands use. */
export function openDagCommands(g: GlobalOptions): { config: Config; scheduler: Scheduler; close(): Promise<void> } {
  const config = existingConfigFrom(g);
  const logger = createLogger(config.logLevel);
  const store = openSchedulerStore(config);
  const scheduler = new Scheduler({
    store,
    dags: builtinDags(config, logger),
    logger,
    scheduling: false,
    executor: subprocessExecutor([...selfCommand(), ...globalArgs(g, config.dataDir, config.prefix)]),
  });
  return {
    config,
    scheduler,
    async close() {
      await scheduler.stop(); // a no-op unless this process ran runs
      store.close();
    },
  };
}

/**
 * Wait for a run to end: a running `pinpipe up` (the store's lease holder) runs it and this
 * process watches the store; otherwise this process runs the queued runs itself.
 */
export async function waitHere(scheduler: Scheduler, runIds: readonly string[], onEnd?: (r: RunInfo) => void): Promise<RunInfo[]> {
  const holder = scheduler.store.leaseHolder();
  if (!holder || holder.pid === process.pid) await scheduler.start();
  else process.stderr.write(`pinpipe up (pid ${holder.pid}) runs it; waiting for it to end\n`);
  const out: RunInfo[] = [];
  for (const id of runIds) {
    const r = await scheduler.waitForRun(id);
    onEnd?.(r);
    out.push(r);
  }
  return out;
}

/** A duration in seconds, or a dash. */
export function took(r: { startDate: number | null; endDate: number | null }): string {
  return r.startDate !== null && r.endDate !== null ? `${((r.endDate - r.startDate) / 1000).toFixed(1)} s` : '-';
}

/** One line per task: state, tries, duration, last error. */
export function taskLines(r: RunInfo): string[] {
  return r.tasks.map((t) => {
    const last = t.attempts.at(-1);
    const tries = t.tryNumber > 1 ? ` (${t.tryNumber} tries)` : '';
    return `    ${t.taskId.padEnd(12)} ${t.state}${tries}  ${last ? took(last) : ''}${last?.error ? `  ${last.error.slice(0, 200)}` : ''}`;
  });
}
