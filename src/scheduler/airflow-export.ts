import type { Dag } from './dag.js';

const py = (s: string): string => JSON.stringify(s); // a JSON string is a valid Python string literal
const pyBool = (b: boolean): string => (b ? 'True' : 'False');
const taskVar = (id: string): string => id.replace(/[^A-Za-z0-9_]/g, '_');

/** POSIX shell quoting of one word. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export interface AirflowExportOptions {
  /** The pinpipe command each task runs, with its global options (data dir, prefix, config), as shell text. */
  readonly pinpipe: string;
  /** When the file was written (a comment). */
  readonly exportedAt: Date;
}

/**
 * An Airflow 3 DAG file for `dag`: the same schedule as a CronDataIntervalTimetable (so logical
 * dates and data intervals are the ones pinpipe uses, not Airflow 3's default trigger timetable),
 * catchup off, the same retries, timeout and task graph; each task runs
 * `<pinpipe> dag task <dag> <task> --date {{ ds }}`.
 */
export function airflowDagFile(dag: Dag, o: AirflowExportOptions): string {
  if (!dag.schedule) throw new Error(`DAG ${dag.id} has no schedule`);
  const first = dag.tasks[0];
  const retry = dag.retryOf(first);
  const timeout = dag.timeoutOf(first);
  const start = new Date(dag.startDate ?? Date.UTC(2020, 0, 1));
  const lines = [
    `"""${dag.id}: ${dag.description}`,
    '',
    `Written by \`pinpipe dag export-airflow\` at ${o.exportedAt.toISOString()}. Each task runs the pinpipe`,
    "command below for the run's logical date ({{ ds }}), exactly as pinpipe's own scheduler does.",
    '"""',
    'from __future__ import annotations',
    '',
    'import datetime',
    '',
    'from airflow.providers.standard.operators.bash import BashOperator',
    'from airflow.sdk import DAG, CronDataIntervalTimetable',
    '',
    `PINPIPE = ${py(o.pinpipe)}`,
    '',
    '',
    'def pinpipe_task(task_id: str) -> BashOperator:',
    `    return BashOperator(task_id=task_id, bash_command=f"{PINPIPE} dag task ${dag.id} {task_id} --date {{{{ ds }}}}")`,
    '',
    '',
    'with DAG(',
    `    dag_id=${py(dag.id)},`,
    `    description=${py(dag.description)},`,
    `    schedule=CronDataIntervalTimetable(${py(dag.timetable!.expression)}, timezone=${py(dag.timezone)}),`,
    `    start_date=datetime.datetime(${start.getUTCFullYear()}, ${start.getUTCMonth() + 1}, ${start.getUTCDate()}, tzinfo=datetime.timezone.utc),`,
    `    catchup=${pyBool(dag.catchup)},`,
    `    max_active_runs=${dag.maxActiveRuns},`,
    `    max_active_tasks=${dag.maxActiveTasks},`,
    '    default_args={',
    `        "retries": ${retry.retries},`,
    `        "retry_delay": datetime.timedelta(milliseconds=${retry.delayMs}),`,
    `        "retry_exponential_backoff": ${retry.exponentialBackoff ? '2.0' : '0'},`,
    ...(retry.maxDelayMs !== undefined ? [`        "max_retry_delay": datetime.timedelta(milliseconds=${retry.maxDelayMs}),`] : []),
    ...(timeout !== undefined ? [`        "execution_timeout": datetime.timedelta(milliseconds=${timeout}),`] : []),
    '    },',
    ') as dag:',
    ...dag.tasks.map((t) => `    ${taskVar(t.id)} = pinpipe_task(${py(t.id)})`),
    ...dag.tasks.filter((t) => t.upstream?.length).map((t) => `    [${t.upstream!.map(taskVar).join(', ')}] >> ${taskVar(t.id)}`),
    '',
  ];
  return lines.join('\n');
}
