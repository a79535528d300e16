import { PinpipeError } from '../core/errors.js';
import type { Dag } from './dag.js';
import { isoOf } from './logical-date.js';
import type { DagInfo, RunInfo, RunType } from './records.js';
import type { SchedulerStore } from './scheduler-store.js';

/** Airflow's run id: `<type>__<logical date ISO>`. */
export function runIdOf(type: RunType, logicalDate: number): string {
  return `${type}__${isoOf(logicalDate)}`;
}

/** Record a queued run of `type` at `logicalDate` (manual runs get Airflow's manual data interval). */
export function queueRun(store: SchedulerStore, dag: Dag, type: RunType, logicalDate: number, now: number): RunInfo {
  const interval =
    type === 'manual'
      ? (dag.timetable?.manualInterval(logicalDate) ?? { start: logicalDate, end: logicalDate })
      : (dag.timetable?.intervalFrom(logicalDate) ?? { start: logicalDate, end: logicalDate });
  const runId = runIdOf(type, logicalDate);
  store.createRun({ runId, dagId: dag.id, runType: type, logicalDate, interval, queuedAt: now, taskIds: dag.tasks.map((t) => t.id) });
  return store.getRun(runId);
}

/** Runs for every data interval that has ended and has no run yet: all since startDate with catchup, else only the latest. */
/** Where the next scheduled interval starts: after the last one created; with catchup off, never before the latest complete one. */
export function nextIntervalStart(store: SchedulerStore, dag: Dag, now: number): number {
  const tt = dag.timetable!;
  const last = store.lastAutomatedEnd(dag.id);
  if (dag.catchup) return last ?? tt.alignNext(dag.startDate!);
  const latest = tt.latestComplete(now).start;
  return Math.max(last ?? latest, latest);
}

export function createDueRuns(store: SchedulerStore, dag: Dag, now: number): void {
  const tt = dag.timetable;
  if (!tt) return;
  // As Airflow: no new runs while the DAG has maxActiveRuns active; with catchup off the next one is then the latest interval.
  let active = store.activeRuns(dag.id).length;
  let start = nextIntervalStart(store, dag, now);
  for (let n = 0; n < 10_000; n++) {
    const interval = tt.intervalFrom(start);
    if (interval.end > now || active >= dag.maxActiveRuns) return;
    if (!store.hasRunAt(dag.id, start)) {
      queueRun(store, dag, 'scheduled', start, now);
      active++;
    }
    start = interval.end;
  }
}

/** The backfill runs of [from, to] (see Scheduler.backfill). */
export function queueBackfill(store: SchedulerStore, dag: Dag, from: number, to: number, now: number): { queued: RunInfo[]; existing: number[] } {
  if (!dag.timetable) throw new PinpipeError('DAG_INVALID', `DAG ${dag.id} has no schedule to backfill.`);
  const queued: RunInfo[] = [];
  const existing: number[] = [];
  for (const t of dag.timetable.startsBetween(from, to)) {
    if (store.hasRunAt(dag.id, t)) existing.push(t);
    else queued.push(queueRun(store, dag, 'backfill', t, now));
  }
  return { queued, existing };
}

/** A DAG as listed: flags, tasks, when its next scheduled run is due, its last run. */
export function dagInfo(d: Dag, store: SchedulerStore, now: number): DagInfo {
  const paused = store.isPaused(d.id);
  const [last] = store.listRuns(d.id, { limit: 1 });
  const due = d.timetable && !paused ? d.timetable.intervalFrom(nextIntervalStart(store, d, now)).end : null;
  const lastRun = last ? (({ tasks: _tasks, ...rest }) => rest)(last) : null;
  return {
    dagId: d.id,
    description: d.description,
    schedule: d.schedule ?? null,
    timezone: d.timezone,
    catchup: d.catchup,
    paused,
    maxActiveRuns: d.maxActiveRuns,
    tasks: d.tasks.map((t) => ({ taskId: t.id, upstream: t.upstream ?? [], retries: d.retryOf(t).retries, retryDelayMs: d.retryOf(t).delayMs })),
    nextRunAt: due,
    lastRun,
  };
}
