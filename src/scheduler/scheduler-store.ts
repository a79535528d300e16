import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { PinpipeError } from '../core/errors.js';
import { dsOf } from './logical-date.js';
import type { AttemptInfo, AttemptState, RunInfo, RunState, RunType, TaskInstanceInfo, TaskLogLine, TaskState } from './records.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS dag (dag_id TEXT PRIMARY KEY, paused INTEGER NOT NULL, last_automated_end INTEGER);
CREATE TABLE IF NOT EXISTS dag_run (
  run_id TEXT PRIMARY KEY, dag_id TEXT NOT NULL, run_type TEXT NOT NULL, state TEXT NOT NULL,
  logical_date INTEGER NOT NULL, interval_start INTEGER NOT NULL, interval_end INTEGER NOT NULL,
  queued_at INTEGER NOT NULL, start_date INTEGER, end_date INTEGER, error TEXT, UNIQUE (dag_id, logical_date));
CREATE INDEX IF NOT EXISTS dag_run_by_state ON dag_run (dag_id, state, logical_date);
CREATE TABLE IF NOT EXISTS task_instance (
  run_id TEXT NOT NULL, task_id TEXT NOT NULL, state TEXT NOT NULL, try_number INTEGER NOT NULL, PRIMARY KEY (run_id, task_id));
CREATE TABLE IF NOT EXISTS task_attempt (
  run_id TEXT NOT NULL, task_id TEXT NOT NULL, try_number INTEGER NOT NULL, state TEXT NOT NULL,
  start_date INTEGER NOT NULL, end_date INTEGER, error TEXT, PRIMARY KEY (run_id, task_id, try_number));
CREATE TABLE IF NOT EXISTS task_log (run_id TEXT NOT NULL, task_id TEXT NOT NULL, try_number INTEGER NOT NULL, at INTEGER NOT NULL, line TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS task_log_by_attempt ON task_log (run_id, task_id, try_number);
CREATE TABLE IF NOT EXISTS lease (id INTEGER PRIMARY KEY CHECK (id = 1), pid INTEGER NOT NULL, host TEXT NOT NULL, since INTEGER NOT NULL);
`;

interface RunRow {
  run_id: string;
  dag_id: string;
  run_type: RunType;
  state: RunState;
  logical_date: number;
  interval_start: number;
  interval_end: number;
  queued_at: number;
  start_date: number | null;
  end_date: number | null;
  error: string | null;
}

/** A new run to record. */
export interface NewRun {
  readonly runId: string;
  readonly dagId: string;
  readonly runType: RunType;
  readonly logicalDate: number;
  readonly interval: { readonly start: number; readonly end: number };
  readonly queuedAt: number;
  readonly taskIds: readonly string[];
}

const pidAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * The scheduler's embedded store (SQLite, WAL): DAG flags, runs, task instances, attempts with
 * their log lines, and the lease that lets one scheduler at a time execute runs. Several processes
 * may open it (the CLI queues runs and pauses DAGs while `pinpipe up` runs them).
 */
export class SchedulerStore {
  private readonly db: Database.Database;

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 10000');
    this.db.exec(SCHEMA);
  }

  close(): void {
    this.db.close();
  }

  /** Record a DAG the first time it is seen (paused or not as declared); returns whether it is paused. */
  ensureDag(dagId: string, pausedOnCreation: boolean): boolean {
    this.db.prepare('INSERT OR IGNORE INTO dag (dag_id, paused) VALUES (?, ?)').run(dagId, pausedOnCreation ? 1 : 0);
    return this.isPaused(dagId);
  }

  isPaused(dagId: string): boolean {
    const row = this.db.prepare('SELECT paused FROM dag WHERE dag_id = ?').get(dagId) as { paused: number } | undefined;
    return row?.paused === 1;
  }

  setPaused(dagId: string, paused: boolean): void {
    this.db.prepare('INSERT INTO dag (dag_id, paused) VALUES (?, ?) ON CONFLICT (dag_id) DO UPDATE SET paused = excluded.paused').run(dagId, paused ? 1 : 0);
  }

  /** The end of the last interval the scheduler created a run for (catchup bookkeeping). */
  lastAutomatedEnd(dagId: string): number | undefined {
    const row = this.db.prepare('SELECT last_automated_end AS t FROM dag WHERE dag_id = ?').get(dagId) as { t: number | null } | undefined;
    return row?.t ?? undefined;
  }

  /** Create a run with its task instances; DAG_RUN_EXISTS when the DAG has a run for that logical date. */
  createRun(r: NewRun): void {
    const tx = this.db.transaction(() => {
      this.db
        .prepare('INSERT INTO dag_run (run_id, dag_id, run_type, state, logical_date, interval_start, interval_end, queued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(r.runId, r.dagId, r.runType, 'queued', r.logicalDate, r.interval.start, r.interval.end, r.queuedAt);
      const ti = this.db.prepare("INSERT INTO task_instance (run_id, task_id, state, try_number) VALUES (?, ?, 'none', 0)");
      for (const t of r.taskIds) ti.run(r.runId, t);
      if (r.runType === 'scheduled')
        this.db.prepare('UPDATE dag SET last_automated_end = max(coalesce(last_automated_end, 0), ?) WHERE dag_id = ?').run(r.interval.end, r.dagId);
    });
    try {
      tx();
    } catch (err) {
      if ((err as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT'))
        throw new PinpipeError('DAG_RUN_EXISTS', `DAG ${r.dagId} already has a run for ${new Date(r.logicalDate).toISOString()}.`);
      throw err;
    }
  }

  hasRunAt(dagId: string, logicalDate: number): boolean {
    return this.db.prepare('SELECT 1 FROM dag_run WHERE dag_id = ? AND logical_date = ?').get(dagId, logicalDate) !== undefined;
  }

  setRunState(runId: string, state: RunState, at: number, error: string | null = null): void {
    const col = state === 'running' ? 'start_date = coalesce(start_date, @at), end_date = NULL' : state === 'queued' ? 'end_date = NULL' : 'end_date = @at';
    this.db.prepare(`UPDATE dag_run SET state = @state, error = @error, ${col} WHERE run_id = @runId`).run({ runId, state, at, error });
  }

  setTaskState(runId: string, taskId: string, state: TaskState): void {
    this.db.prepare('UPDATE task_instance SET state = ? WHERE run_id = ? AND task_id = ?').run(state, runId, taskId);
  }

  /** Record the start of attempt `tryNumber` (the task instance becomes running). */
  startAttempt(runId: string, taskId: string, tryNumber: number, at: number): void {
    this.db.transaction(() => {
      this.db
        .prepare("INSERT INTO task_attempt (run_id, task_id, try_number, state, start_date) VALUES (?, ?, ?, 'running', ?)")
        .run(runId, taskId, tryNumber, at);
      this.db.prepare("UPDATE task_instance SET state = 'running', try_number = ? WHERE run_id = ? AND task_id = ?").run(tryNumber, runId, taskId);
    })();
  }

  endAttempt(runId: string, taskId: string, tryNumber: number, state: AttemptState, at: number, error: string | null = null): void {
    this.db
      .prepare('UPDATE task_attempt SET state = ?, end_date = ?, error = ? WHERE run_id = ? AND task_id = ? AND try_number = ?')
      .run(state, at, error, runId, taskId, tryNumber);
  }

  appendLog(runId: string, taskId: string, tryNumber: number, at: number, line: string): void {
    this.db.prepare('INSERT INTO task_log (run_id, task_id, try_number, at, line) VALUES (?, ?, ?, ?, ?)').run(runId, taskId, tryNumber, at, line);
  }

  taskLog(runId: string, taskId: string, tryNumber?: number): TaskLogLine[] {
    const sql = `SELECT at, line FROM task_log WHERE run_id = ? AND task_id = ?${tryNumber === undefined ? '' : ' AND try_number = ?'} ORDER BY rowid`;
    const args = tryNumber === undefined ? [runId, taskId] : [runId, taskId, tryNumber];
    return this.db.prepare(sql).all(...args) as TaskLogLine[];
  }

  /** One run with its task instances and attempts; DAG_RUN_NOT_FOUND if there is none. */
  getRun(runId: string): RunInfo {
    const row = this.db.prepare('SELECT * FROM dag_run WHERE run_id = ?').get(runId) as RunRow | undefined;
    if (!row) throw new PinpipeError('DAG_RUN_NOT_FOUND', `No DAG run ${runId}.`);
    return this.withTasks(row);
  }

  /** Runs of a DAG, newest logical date first. */
  listRuns(dagId: string, opts: { limit?: number; states?: readonly RunState[] } = {}): RunInfo[] {
    const states = opts.states ?? ['queued', 'running', 'success', 'failed'];
    const rows = this.db
      .prepare(`SELECT * FROM dag_run WHERE dag_id = ? AND state IN (${states.map(() => '?').join(',')}) ORDER BY logical_date DESC LIMIT ?`)
      .all(dagId, ...states, opts.limit ?? 1000) as RunRow[];
    return rows.map((r) => this.withTasks(r));
  }

  /** Runs waiting or running, oldest logical date first (what a scheduler works through). */
  activeRuns(dagId: string): RunInfo[] {
    return this.listRuns(dagId, { states: ['queued', 'running'] }).reverse();
  }

  /**
   * Take the lease for this process unless another live process holds it. Returns the holder
   * when it is someone else (pid on this host), undefined when the lease is now ours.
   */
  takeLease(now: number): { pid: number; host: string } | undefined {
    return this.db
      .transaction(() => {
        const row = this.db.prepare('SELECT pid, host FROM lease WHERE id = 1').get() as { pid: number; host: string } | undefined;
        if (row && row.pid !== process.pid && row.host === hostname() && pidAlive(row.pid)) return row;
        this.db.prepare('INSERT OR REPLACE INTO lease (id, pid, host, since) VALUES (1, ?, ?, ?)').run(process.pid, hostname(), now);
        return undefined;
      })
      .immediate();
  }

  /** The process holding the lease if it is alive, else undefined. */
  leaseHolder(): { pid: number; host: string; since: number } | undefined {
    const row = this.db.prepare('SELECT pid, host, since FROM lease WHERE id = 1').get() as { pid: number; host: string; since: number } | undefined;
    return row && row.host === hostname() && pidAlive(row.pid) ? row : undefined;
  }

  releaseLease(): void {
    this.db.prepare('DELETE FROM lease WHERE id = 1 AND pid = ?').run(process.pid);
  }

  private withTasks(r: RunRow): RunInfo {
    const tis = this.db.prepare('SELECT task_id, state, try_number FROM task_instance WHERE run_id = ? ORDER BY rowid').all(r.run_id) as {
      task_id: string;
      state: TaskState;
      try_number: number;
    }[];
    const attempts = this.db
      .prepare('SELECT task_id, try_number, state, start_date, end_date, error FROM task_attempt WHERE run_id = ? ORDER BY try_number')
      .all(r.run_id) as { task_id: string; try_number: number; state: AttemptState; start_date: number; end_date: number | null; error: string | null }[];
    const tasks: TaskInstanceInfo[] = tis.map((t) => ({
      taskId: t.task_id,
      state: t.state,
      tryNumber: t.try_number,
      attempts: attempts
        .filter((a) => a.task_id === t.task_id)
        .map((a): AttemptInfo => ({ tryNumber: a.try_number, state: a.state, startDate: a.start_date, endDate: a.end_date, error: a.error })),
    }));
    return {
      runId: r.run_id,
      dagId: r.dag_id,
      runType: r.run_type,
      state: r.state,
      logicalDate: r.logical_date,
      ds: dsOf(r.logical_date),
      dataIntervalStart: r.interval_start,
      dataIntervalEnd: r.interval_end,
      queuedAt: r.queued_at,
      startDate: r.start_date,
      endDate: r.end_date,
      error: r.error,
      tasks,
    };
  }
}
