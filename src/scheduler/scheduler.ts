import type { Logger } from '../core/logger.js';
import { rootLogger } from '../core/logger.js';
import { PinpipeError } from '../core/errors.js';
import { systemClock, type Clock } from './clock.js';
import type { Dag } from './dag.js';
import { createDueRuns, dagInfo, nextIntervalStart, queueBackfill, queueRun } from './queue-runs.js';
import type { DagInfo, RunInfo } from './records.js';
import { inlineExecutor, runTaskInstance, type TaskExecutor } from './run-task.js';
import { schedulerMetrics } from './scheduler-metrics.js';
import type { SchedulerStore } from './scheduler-store.js';

export interface SchedulerOptions {
  readonly store: SchedulerStore;
  readonly dags: readonly Dag[];
  readonly clock?: Clock;
  /** How task attempts run (default: in this process). */
  readonly executor?: TaskExecutor;
  readonly logger?: Logger;
  /** Create scheduled runs (default true). false: only run what is queued (the CLI running a triggered run). */
  readonly scheduling?: boolean;
  /** How often to look at the store for runs and flags another process changed (default 1 s). */
  readonly pollMs?: number;
  /** How long an attempt told to stop may take to end (default 10 s). */
  readonly killGraceMs?: number;
}

/** A promise and the function that resolves it. */
function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const TERMINAL = new Set(['success', 'failed', 'upstream_failed']);

/**
 * The scheduler: creates runs when their data interval ends (catchup off: only the latest),
 * starts queued runs (at most maxActiveRuns per DAG), starts each task once its upstream tasks
 * succeeded, and records everything in its store. One process at a time executes runs (the
 * store's lease); others may queue runs and pause DAGs through the store.
 */
export class Scheduler {
  readonly store: SchedulerStore;
  private readonly dags: Map<string, Dag>;
  private readonly clock: Clock;
  private readonly executor: TaskExecutor;
  private readonly log: Logger;
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private readonly stopper = new AbortController();
  private wakeup = new AbortController();
  private loop: Promise<void> | undefined;
  /** Resolved (and replaced) whenever a run of this process ends. */
  private runEnded = signal();

  constructor(private readonly o: SchedulerOptions) {
    this.store = o.store;
    this.dags = new Map(o.dags.map((d) => [d.id, d]));
    this.clock = o.clock ?? systemClock;
    this.executor = o.executor ?? inlineExecutor;
    this.log = (o.logger ?? rootLogger()).child({ component: 'scheduler' });
    for (const d of o.dags) this.store.ensureDag(d.id, d.spec.pausedOnCreation ?? false);
  }

  /** Take the lease (waiting while another live process holds it), mark attempts a crash cut short as failed, and start working. */
  async start(): Promise<void> {
    let told = false;
    for (;;) {
      const holder = this.store.takeLease(this.clock.now());
      if (!holder) break;
      if (!told) this.log.warn({ holder }, 'another scheduler runs on this store; waiting for it to stop');
      told = true;
      await this.clock.sleep(this.o.pollMs ?? 1000, this.stopper.signal);
      if (this.stopper.signal.aborted) return;
    }
    this.recover();
    this.loop = this.work();
  }

  /** Stop: create and start nothing more, stop running attempts (recorded as interrupted; retried at the next start per their policy). */
  async stop(): Promise<void> {
    this.stopper.abort();
    this.wake();
    await this.loop;
    await Promise.allSettled([...this.inFlight.values()]);
    this.store.releaseLease();
  }

  /** Look at the store again now (after a trigger, a pause, a finished task). */
  wake(): void {
    this.wakeup.abort();
  }

  /** The DAGs with their flags, next due run and last run. */
  listDags(): DagInfo[] {
    return [...this.dags.values()].map((d) => dagInfo(d, this.store, this.clock.now()));
  }

  dag(dagId: string): Dag {
    const d = this.dags.get(dagId);
    if (!d) throw new PinpipeError('DAG_NOT_FOUND', `No DAG ${dagId} (known: ${[...this.dags.keys()].join(', ')}).`);
    return d;
  }

  /** Queue a manual run; logical date `at` (default now) with Airflow's manual data interval. */
  trigger(dagId: string, at?: number): RunInfo {
    const run = queueRun(this.store, this.dag(dagId), 'manual', at ?? this.clock.now(), this.clock.now());
    this.wake();
    return run;
  }

  /** Queue a backfill run for every interval whose logical date is within [from, to]; dates with a run already are left alone. */
  backfill(dagId: string, from: number, to: number): { queued: RunInfo[]; existing: number[] } {
    const out = queueBackfill(this.store, this.dag(dagId), from, to, this.clock.now());
    this.wake();
    return out;
  }

  pause(dagId: string): void {
    this.store.setPaused(this.dag(dagId).id, true);
  }

  unpause(dagId: string): void {
    this.store.setPaused(this.dag(dagId).id, false);
    this.wake();
  }

  /** Resolve with the run once it has ended (success or failed). */
  async waitForRun(runId: string, signal?: AbortSignal): Promise<RunInfo> {
    for (;;) {
      const run = this.store.getRun(runId);
      if (run.state === 'success' || run.state === 'failed' || signal?.aborted) return run;
      const poll = new AbortController(); // another process may run it: look at the store now and then
      await Promise.race([this.runEnded.promise, this.clock.sleep(this.o.pollMs ?? 1000, signal ? AbortSignal.any([signal, poll.signal]) : poll.signal)]);
      poll.abort();
    }
  }

  /** Attempts left running by a process that died: failed (TASK_INTERRUPTED); their tasks continue per their retry policy. */
  private recover(): void {
    const now = this.clock.now();
    for (const dag of this.dags.values())
      for (const run of this.store.activeRuns(dag.id))
        for (const ti of run.tasks) {
          if (ti.state !== 'running') continue;
          this.store.endAttempt(run.runId, ti.taskId, ti.tryNumber, 'failed', now, 'TASK_INTERRUPTED: the scheduler stopped while the attempt ran');
          const left = ti.tryNumber < dag.retryOf(dag.task(ti.taskId)).retries + 1;
          this.store.setTaskState(run.runId, ti.taskId, left ? 'up_for_retry' : 'failed');
          this.log.warn({ dag: dag.id, run: run.runId, task: ti.taskId, try: ti.tryNumber, retry: left }, 'task attempt cut short by a stop; marked failed');
        }
  }

  private async work(): Promise<void> {
    while (!this.stopper.signal.aborted) {
      this.wakeup = new AbortController();
      try {
        this.tick();
      } catch (err) {
        this.log.error({ err }, 'scheduler tick failed');
      }
      const wait = Math.max(0, Math.min(this.o.pollMs ?? 1000, this.nextDueIn()));
      await this.clock.sleep(wait, AbortSignal.any([this.wakeup.signal, this.stopper.signal]));
    }
  }

  private nextDueIn(): number {
    const now = this.clock.now();
    let soonest = Infinity;
    if (this.o.scheduling === false) return soonest;
    for (const d of this.dags.values())
      if (d.timetable && !this.store.isPaused(d.id)) soonest = Math.min(soonest, d.timetable.intervalFrom(nextIntervalStart(this.store, d, now)).end - now);
    return soonest;
  }

  private tick(): void {
    const now = this.clock.now();
    for (const dag of this.dags.values()) {
      const paused = this.store.isPaused(dag.id);
      if (!paused && this.o.scheduling !== false) createDueRuns(this.store, dag, now);
      const active = this.store.activeRuns(dag.id);
      let running = active.filter((r) => r.state === 'running').length;
      for (const run of active) {
        if (run.state === 'queued') {
          if (paused || running >= dag.maxActiveRuns) continue;
          this.store.setRunState(run.runId, 'running', now);
          running++;
          this.log.info({ dag: dag.id, run: run.runId }, 'DAG run started');
        }
        this.advance(dag, this.store.getRun(run.runId), paused);
      }
    }
  }

  /** Start the tasks whose upstream tasks succeeded; end the run when every task has ended. */
  private advance(dag: Dag, run: RunInfo, paused: boolean): void {
    const state = new Map(run.tasks.map((t) => [t.taskId, t]));
    let active = dag.tasks.filter((t) => this.inFlight.has(`${run.runId}/${t.id}`)).length;
    for (const task of dag.tasks) {
      const ti = state.get(task.id)!;
      const key = `${run.runId}/${task.id}`;
      if (TERMINAL.has(ti.state) || this.inFlight.has(key)) continue;
      const ups = (task.upstream ?? []).map((u) => state.get(u)!.state);
      if (ups.some((s) => s === 'failed' || s === 'upstream_failed')) {
        this.store.setTaskState(run.runId, task.id, 'upstream_failed');
        state.set(task.id, { ...ti, state: 'upstream_failed' });
        continue;
      }
      if (paused || this.stopper.signal.aborted || active >= dag.maxActiveTasks || !ups.every((s) => s === 'success')) continue;
      active++;
      const p = runTaskInstance({
        store: this.store,
        clock: this.clock,
        executor: this.executor,
        dag,
        task,
        run,
        prior: ti.tryNumber,
        stop: this.stopper.signal,
        killGraceMs: this.o.killGraceMs ?? 10_000,
      })
        .catch((err: unknown) => this.log.error({ err, dag: dag.id, run: run.runId, task: task.id }, 'task bookkeeping failed'))
        .finally(() => {
          this.inFlight.delete(key);
          this.wake();
        });
      this.inFlight.set(key, p);
    }
    if (dag.tasks.every((t) => TERMINAL.has(state.get(t.id)!.state))) {
      const failed = dag.tasks.filter((t) => state.get(t.id)!.state !== 'success').map((t) => t.id);
      this.store.setRunState(run.runId, failed.length ? 'failed' : 'success', this.clock.now(), failed.length ? `failed tasks: ${failed.join(', ')}` : null);
      this.log[failed.length ? 'error' : 'info']({ dag: dag.id, run: run.runId, failed }, `DAG run ${failed.length ? 'failed' : 'succeeded'}`);
      schedulerMetrics.runs.inc({ dag: dag.id, outcome: failed.length ? 'failed' : 'success' });
      this.runEnded.resolve();
      this.runEnded = signal();
    }
  }
}
