import { PinpipeError } from '../core/errors.js';
import { isValidName } from '../core/names.js';
import { Timetable } from './timetable.js';

/** How a task is retried (Airflow's `retries`, `retry_delay`, `retry_exponential_backoff`, `max_retry_delay`). */
export interface RetryPolicy {
  /** Attempts after the first. */
  readonly retries: number;
  readonly delayMs: number;
  /** Double the delay after each failed retry. */
  readonly exponentialBackoff?: boolean;
  /** Never wait longer than this between attempts. */
  readonly maxDelayMs?: number;
}

/** What a running task attempt gets. */
export interface TaskContext {
  readonly dagId: string;
  readonly taskId: string;
  readonly runId: string;
  /** The run's logical date (epoch ms). */
  readonly logicalDate: number;
  /** The logical date as `YYYY-MM-DD` in UTC, Airflow's `{{ ds }}`. */
  readonly ds: string;
  readonly dataInterval: { readonly start: number; readonly end: number };
  /** 1 for the first attempt. */
  readonly tryNumber: number;
  /** Aborted when the attempt times out or the scheduler stops: stop work and reject. */
  readonly signal: AbortSignal;
  /** Record a log line with the attempt. */
  log(line: string): void;
}

/** A task of a DAG: its id, upstream tasks and what it does. */
export interface TaskSpec {
  readonly id: string;
  readonly upstream?: readonly string[];
  /** Overrides the DAG's default retry policy. */
  readonly retry?: RetryPolicy;
  /** Overrides the DAG's default execution timeout. */
  readonly executionTimeoutMs?: number;
  run(ctx: TaskContext): Promise<void>;
}

/** A DAG declared in TypeScript. */
export interface DagSpec {
  readonly id: string;
  /** A cron expression (5 fields; 6 with seconds first) or a preset (`@daily`, `@hourly`, …); undefined: manual runs only. */
  readonly schedule?: string;
  /** IANA time zone the schedule is read in (default UTC). */
  readonly timezone?: string;
  /** Create a run for every missed interval since `startDate` (default false: only the latest). */
  readonly catchup?: boolean;
  /** Earliest logical date for catchup (epoch ms). */
  readonly startDate?: number;
  /** Runs of this DAG active at once (default 1). */
  readonly maxActiveRuns?: number;
  /** Tasks of one run running at once (default 16). */
  readonly maxActiveTasks?: number;
  /** Default retry policy of its tasks (default: no retries). */
  readonly retry?: RetryPolicy;
  /** Default execution timeout of an attempt (default none). */
  readonly executionTimeoutMs?: number;
  /** Whether a new DAG starts paused (default false). */
  readonly pausedOnCreation?: boolean;
  readonly description?: string;
  readonly tasks: readonly TaskSpec[];
}

/** A validated DAG: tasks in a topological order, the timetable built. */
export interface Dag extends Required<Pick<DagSpec, 'id' | 'catchup' | 'maxActiveRuns' | 'maxActiveTasks' | 'timezone'>> {
  readonly spec: DagSpec;
  readonly schedule: string | undefined;
  readonly timetable: Timetable | undefined;
  readonly startDate: number | undefined;
  readonly tasks: readonly TaskSpec[];
  readonly description: string;
  task(id: string): TaskSpec;
  retryOf(task: TaskSpec): RetryPolicy;
  timeoutOf(task: TaskSpec): number | undefined;
}

const NO_RETRY: RetryPolicy = { retries: 0, delayMs: 0 };

function checkRetry(where: string, r: RetryPolicy | undefined): void {
  if (!r) return;
  const bad = !Number.isInteger(r.retries) || r.retries < 0 || !(r.delayMs >= 0) || (r.maxDelayMs !== undefined && !(r.maxDelayMs >= 0));
  if (bad) throw new PinpipeError('DAG_INVALID', `${where}: retries must be a whole number ≥ 0 and delays ≥ 0.`);
}

/**
 * Validate a DAG declaration: ids, schedule, dependencies (known, no cycles), policies.
 * @example defineDag({ id: 'd', schedule: '@daily', tasks: [{ id: 'a', run: async () => {} }, { id: 'b', upstream: ['a'], run }] })
 */
export function defineDag(spec: DagSpec): Dag {
  if (!isValidName(spec.id)) throw new PinpipeError('DAG_INVALID', `Invalid DAG id ${JSON.stringify(spec.id)}.`);
  const timezone = spec.timezone ?? 'UTC';
  const timetable = spec.schedule === undefined ? undefined : new Timetable(spec.schedule, timezone);
  const catchup = spec.catchup ?? false;
  if (catchup && (spec.startDate === undefined || !timetable))
    throw new PinpipeError('DAG_INVALID', `DAG ${spec.id}: catchup needs a schedule and a startDate.`);
  const maxActiveRuns = spec.maxActiveRuns ?? 1;
  const maxActiveTasks = spec.maxActiveTasks ?? 16;
  if (!(maxActiveRuns >= 1 && maxActiveTasks >= 1)) throw new PinpipeError('DAG_INVALID', `DAG ${spec.id}: maxActiveRuns and maxActiveTasks must be ≥ 1.`);
  checkRetry(`DAG ${spec.id}`, spec.retry);
  const byId = new Map<string, TaskSpec>();
  for (const t of spec.tasks) {
    if (!isValidName(t.id) || byId.has(t.id)) throw new PinpipeError('DAG_INVALID', `DAG ${spec.id}: invalid or repeated task id ${JSON.stringify(t.id)}.`);
    checkRetry(`task ${t.id}`, t.retry);
    byId.set(t.id, t);
  }
  for (const t of spec.tasks)
    for (const u of t.upstream ?? []) if (!byId.has(u)) throw new PinpipeError('DAG_INVALID', `DAG ${spec.id}: task ${t.id} depends on unknown task ${u}.`);
  const ordered: TaskSpec[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (t: TaskSpec): void => {
    if (state.get(t.id) === 'done') return;
    if (state.get(t.id) === 'visiting') throw new PinpipeError('DAG_INVALID', `DAG ${spec.id}: the dependencies form a cycle through ${t.id}.`);
    state.set(t.id, 'visiting');
    for (const u of t.upstream ?? []) visit(byId.get(u)!);
    state.set(t.id, 'done');
    ordered.push(t);
  };
  spec.tasks.forEach(visit);
  return {
    spec,
    id: spec.id,
    schedule: spec.schedule,
    timezone,
    timetable,
    catchup,
    startDate: spec.startDate,
    maxActiveRuns,
    maxActiveTasks,
    description: spec.description ?? '',
    tasks: ordered,
    task(id) {
      const t = byId.get(id);
      if (!t) throw new PinpipeError('DAG_NOT_FOUND', `DAG ${spec.id} has no task ${id}.`);
      return t;
    },
    retryOf: (t) => t.retry ?? spec.retry ?? NO_RETRY,
    timeoutOf: (t) => t.executionTimeoutMs ?? spec.executionTimeoutMs,
  };
}
