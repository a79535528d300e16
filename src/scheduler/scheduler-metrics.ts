import { counter } from '../core/metrics.js';

/** Scheduler counters (Prometheus). */
export const schedulerMetrics = {
  runs: counter('pinpipe_scheduler_dag_runs_total', 'DAG runs that ended, by DAG and outcome (success, failed)', ['dag', 'outcome']),
  attempts: counter('pinpipe_scheduler_task_attempts_total', 'Task attempts that ended, by DAG, task and outcome (success, failed)', [
    'dag',
    'task',
    'outcome',
  ]),
};
