export { systemClock, type Clock } from './clock.js';
export { defineDag, type Dag, type DagSpec, type RetryPolicy, type TaskContext, type TaskSpec } from './dag.js';
export { dsOf, isoOf, parseLogicalDate } from './logical-date.js';
export { runIdOf } from './queue-runs.js';
export type { AttemptInfo, AttemptState, DagInfo, RunInfo, RunState, RunType, TaskInstanceInfo, TaskLogLine, TaskState } from './records.js';
export { inlineExecutor, type TaskExecutor } from './run-task.js';
export { Scheduler, type SchedulerOptions } from './scheduler.js';
export { SchedulerStore } from './scheduler-store.js';
export { PRESETS, Timetable, type DataInterval } from './timetable.js';
