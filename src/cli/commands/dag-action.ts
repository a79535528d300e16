import { createLogger } from '../../core/logger.js';
import { PinpipeError } from '../../core/errors.js';
import { dsOf, parseLogicalDate, type RunInfo } from '../../scheduler/index.js';
import { builtinDags } from '../dags.js';
import type { GlobalOptions } from '../globals.js';
import { formatOf } from '../output.js';
import { existingConfigFrom } from '../runtime.js';
import type { DagPrintOptions } from './dag.js';
import { openDagCommands, taskLines, took, waitHere } from './dag-open.js';

const when = (t: number | null): string => (t === null ? '-' : new Date(t).toISOString().replace('.000Z', 'Z'));

function runLines(r: RunInfo): string[] {
  return [`  ${r.runId}  ${r.state}  ds ${r.ds}  started ${when(r.startDate)}  took ${took(r)}${r.error ? `  (${r.error})` : ''}`, ...taskLines(r)];
}

/** `pinpipe dag list`. */
export async function listDags(o: DagPrintOptions, g: GlobalOptions): Promise<void> {
  const c = openDagCommands(g);
  try {
    const dags = c.scheduler.listDags();
    if (formatOf(o) === 'json') return void process.stdout.write(`${JSON.stringify(dags, null, 2)}\n`);
    for (const d of dags) {
      process.stdout.write(
        `${d.dagId}  ${d.schedule ?? 'manual only'} (${d.timezone})  ${d.paused ? 'paused' : 'active'}  catchup ${d.catchup ? 'on' : 'off'}  next run ${when(d.nextRunAt)}  last run ${d.lastRun ? `${d.lastRun.ds} ${d.lastRun.state}` : '-'}\n`,
      );
      process.stdout.write(`  tasks: ${d.tasks.map((t) => (t.upstream.length ? `${t.upstream.join('+')} → ${t.taskId}` : t.taskId)).join(', ')}\n`);
    }
  } finally {
    await c.close();
  }
}

/** `pinpipe dag runs ID`. */
export async function listRuns(id: string, o: DagPrintOptions, g: GlobalOptions): Promise<void> {
  const c = openDagCommands(g);
  try {
    c.scheduler.dag(id);
    const runs = c.scheduler.store.listRuns(id, { limit: o.limit ?? 20 });
    if (formatOf(o) === 'json') return void process.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
    if (runs.length === 0) process.stdout.write(`${id}: no runs yet\n`);
    for (const r of runs) process.stdout.write(`${runLines(r).join('\n')}\n`);
  } finally {
    await c.close();
  }
}

/** `pinpipe dag pause|unpause ID`. */
export async function setPaused(id: string, paused: boolean, g: GlobalOptions): Promise<void> {
  const c = openDagCommands(g);
  try {
    if (paused) c.scheduler.pause(id);
    else c.scheduler.unpause(id);
    process.stdout.write(`${id} ${paused ? 'paused' : 'unpaused'}\n`);
  } finally {
    await c.close();
  }
}

/** `pinpipe dag trigger ID [--date D] [--wait]`. */
export async function triggerDag(id: string, o: { date?: string; wait?: boolean }, g: GlobalOptions): Promise<void> {
  const c = openDagCommands(g);
  try {
    const run = c.scheduler.trigger(id, o.date === undefined ? undefined : parseLogicalDate(o.date));
    process.stdout.write(`queued ${run.runId} (ds ${run.ds})\n`);
    if (!o.wait) {
      if (!c.scheduler.store.leaseHolder())
        process.stdout.write('no scheduler is running: it starts with `pinpipe up` (or trigger with --wait to run it now)\n');
      return;
    }
    const [done] = await waitHere(c.scheduler, [run.runId]);
    process.stdout.write(`${runLines(done).join('\n')}\n`);
    if (done.state !== 'success') process.exitCode = 1;
  } finally {
    await c.close();
  }
}

/** `pinpipe dag task ID TASK --date D`: one task in this process; exits with its parent scheduler. */
export async function runTask(dagId: string, taskId: string, o: { date: string }, g: GlobalOptions): Promise<void> {
  if (process.send) {
    process.channel?.unref();
    process.on('disconnect', () => process.exit(70));
  }
  const config = existingConfigFrom(g);
  const logger = createLogger(config.logLevel);
  const d = builtinDags(config, logger).find((x) => x.id === dagId);
  if (!d) throw new PinpipeError('DAG_NOT_FOUND', `No DAG ${dagId}: the built-in DAG is ${config.prefix}_dag.`);
  const logicalDate = parseLogicalDate(o.date);
  await d.task(taskId).run({
    dagId,
    taskId,
    runId: `cli__${o.date}`,
    logicalDate,
    ds: dsOf(logicalDate),
    dataInterval: d.timetable?.manualInterval(logicalDate) ?? { start: logicalDate, end: logicalDate },
    tryNumber: Number(process.env.PINPIPE_TASK_TRY ?? 1),
    signal: new AbortController().signal,
    log: (line) => process.stdout.write(`${line}\n`),
  });
}
