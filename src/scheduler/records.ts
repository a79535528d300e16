/** What the scheduler records, as its store and its interface return it. */

export type RunState = 'queued' | 'running' | 'success' | 'failed';
export type RunType = 'scheduled' | 'manual' | 'backfill';
export type TaskState = 'none' | 'running' | 'up_for_retry' | 'success' | 'failed' | 'upstream_failed';
export type AttemptState = 'running' | 'success' | 'failed';

/** One attempt of a task in a run. */
export interface AttemptInfo {
  readonly tryNumber: number;
  readonly state: AttemptState;
  readonly startDate: number;
  readonly endDate: number | null;
  readonly error: string | null;
}

/** A task in a run: its state and every attempt. */
export interface TaskInstanceInfo {
  readonly taskId: string;
  readonly state: TaskState;
  /** Attempts made so far. */
  readonly tryNumber: number;
  readonly attempts: readonly AttemptInfo[];
}

/** A DAG run. Dates are epoch ms; `logicalDate` and the data interval follow Airflow. */
export interface RunInfo {
  readonly runId: string;
  readonly dagId: string;
  readonly runType: RunType;
  readonly state: RunState;
  readonly logicalDate: number;
  /** `YYYY-MM-DD` of the logical date (UTC), Airflow's `{{ ds }}`. */
  readonly ds: string;
  readonly dataIntervalStart: number;
  readonly dataIntervalEnd: number;
  readonly queuedAt: number;
  readonly startDate: number | null;
  readonly endDate: number | null;
  readonly error: string | null;
  readonly tasks: readonly TaskInstanceInfo[];
}

/** A DAG as the scheduler shows it. */
export interface DagInfo {
  readonly dagId: string;
  readonly description: string;
  readonly schedule: string | null;
  readonly timezone: string;
  readonly catchup: boolean;
  readonly paused: boolean;
  readonly maxActiveRuns: number;
  readonly tasks: readonly { readonly taskId: string; readonly upstream: readonly string[]; readonly retries: number; readonly retryDelayMs: number }[];
  /** When the next scheduled run is due (epoch ms), null when paused or unscheduled. */
  readonly nextRunAt: number | null;
  readonly lastRun: Omit<RunInfo, 'tasks'> | null;
}

/** A log line of a task attempt. */
export interface TaskLogLine {
  readonly at: number;
  readonly line: string;
}
