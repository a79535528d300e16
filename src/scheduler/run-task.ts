import { PinpipeError } from '../core/errors.js';
import { withRetry } from '../core/retry.js';
import type { Clock } from './clock.js';
import type { Dag, TaskContext, TaskSpec } from './dag.js';
import { dsOf } from './logical-date.js';
import type { RunInfo } from './records.js';
import { schedulerMetrics } from './scheduler-metrics.js';
import type { SchedulerStore } from './scheduler-store.js';

/** Runs one task attempt: in this process, or as a `pinpipe dag task` child process. */
export interface TaskExecutor {
  execute(dag: Dag, task: TaskSpec, ctx: TaskContext): Promise<void>;
}

/** Call the task's own `run` in this process. */
export const inlineExecutor: TaskExecutor = { execute: (_dag, task, ctx) => task.run(ctx) };

/** Thrown inside the retry loop when the scheduler is stopping: ends the loop, leaving the task for the next start. */
class Stopping extends Error {}

export interface TaskRun {
  readonly store: SchedulerStore;
  readonly clock: Clock;
  readonly executor: TaskExecutor;
  readonly dag: Dag;
  readonly task: TaskSpec;
  readonly run: RunInfo;
  /** Attempts already made (all failed): the next is `prior + 1`, after the policy's delay. */
  readonly prior: number;
  /** Aborted when the scheduler stops. */
  readonly stop: AbortSignal;
  /** How long to wait for an attempt that was told to stop (timeout, scheduler stop) to end. */
  readonly killGraceMs: number;
}

const message = (err: unknown): string => (err instanceof Error ? `${err instanceof PinpipeError ? `${err.kind}: ` : ''}${err.message}` : String(err));

/** A task error is worth another attempt unless it is a coded error that says otherwise (the error decides retry). */
const retryable = (err: unknown): boolean => !(err instanceof Stopping) && (!(err instanceof PinpipeError) || err.retryable);

/**
 * Run a task instance to its end under its retry policy: attempts through `withRetry` (delay,
 * exponential back-off, cap), each with its execution timeout, each recorded with its log lines.
 * A task that already had `prior` failed attempts (a restart after a crash) continues from there,
 * waiting the delay that follows its last attempt. Resolves with the task instance's final state.
 */
export async function runTaskInstance(t: TaskRun): Promise<'success' | 'failed' | 'stopped'> {
  const { store, clock, dag, task, run } = t;
  const policy = dag.retryOf(task);
  const factor = policy.exponentialBackoff ? 2 : 1;
  const maxTries = policy.retries + 1;
  if (t.prior >= maxTries) {
    store.setTaskState(run.runId, task.id, 'failed');
    return 'failed';
  }
  const replay = t.prior > 0;
  try {
    await withRetry(
      async (i) => {
        if (replay && i === 0) throw new PinpipeError('TASK_FAILED', `attempt ${t.prior} failed before this start`);
        if (t.stop.aborted) throw new Stopping();
        const tryNumber = replay ? t.prior + i : i + 1;
        try {
          await attempt(t, tryNumber);
        } catch (err) {
          store.setTaskState(run.runId, task.id, tryNumber < maxTries && (retryable(err) || t.stop.aborted) ? 'up_for_retry' : 'failed');
          throw err;
        }
      },
      {
        retries: maxTries - t.prior - (replay ? 0 : 1),
        delayMs: policy.delayMs * factor ** Math.max(0, t.prior - 1),
        backoff: factor,
        maxDelayMs: policy.maxDelayMs,
        signal: t.stop,
        retryable,
        wait: (ms, signal) => clock.sleep(ms, signal),
      },
    );
    store.setTaskState(run.runId, task.id, 'success');
    return 'success';
  } catch (err) {
    if (err instanceof Stopping) {
      store.setTaskState(run.runId, task.id, 'up_for_retry');
      return 'stopped';
    }
    return t.stop.aborted ? 'stopped' : 'failed';
  }
}

/** One attempt: recorded as running, then success or failed (with the error); stopped at its timeout. */
async function attempt(t: TaskRun, tryNumber: number): Promise<void> {
  const { store, clock, dag, task, run } = t;
  store.startAttempt(run.runId, task.id, tryNumber, clock.now());
  const ac = new AbortController();
  const onStop = (): void => ac.abort(new PinpipeError('TASK_INTERRUPTED', 'the scheduler is stopping'));
  t.stop.addEventListener('abort', onStop, { once: true });
  const ctx: TaskContext = {
    dagId: dag.id,
    taskId: task.id,
    runId: run.runId,
    logicalDate: run.logicalDate,
    ds: dsOf(run.logicalDate),
    dataInterval: { start: run.dataIntervalStart, end: run.dataIntervalEnd },
    tryNumber,
    signal: ac.signal,
    log: (line) => store.appendLog(run.runId, task.id, tryNumber, clock.now(), line),
  };
  const done = new AbortController();
  const timeoutMs = dag.timeoutOf(task);
  const stopped = new Promise<never>((_, reject) => {
    ac.signal.addEventListener('abort', () => reject(ac.signal.reason as Error), { once: true });
  });
  stopped.catch(() => undefined); // also rejects when nobody races it any more
  if (timeoutMs !== undefined)
    void clock.sleep(timeoutMs, done.signal).then(() => {
      if (!done.signal.aborted) ac.abort(new PinpipeError('TASK_TIMEOUT', `ran longer than its execution timeout of ${timeoutMs} ms`));
    });
  const work = Promise.resolve().then(() => t.executor.execute(dag, task, ctx));
  try {
    await Promise.race([work, stopped]);
    store.endAttempt(run.runId, task.id, tryNumber, 'success', clock.now());
    schedulerMetrics.attempts.inc({ dag: dag.id, task: task.id, outcome: 'success' });
  } catch (err) {
    store.endAttempt(run.runId, task.id, tryNumber, 'failed', clock.now(), message(err));
    schedulerMetrics.attempts.inc({ dag: dag.id, task: task.id, outcome: 'failed' });
    ctx.log(`attempt ${tryNumber} failed: ${message(err)}`);
    // A task told to stop gets a grace period to end before the next attempt starts.
    if (ac.signal.aborted) await Promise.race([work.catch(() => undefined), clock.sleep(t.killGraceMs, done.signal)]);
    throw err;
  } finally {
    done.abort();
    t.stop.removeEventListener('abort', onStop);
  }
}
