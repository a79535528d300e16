import { Option, type Command } from 'commander';
import type { GlobalOptions } from '../globals.js';
import { int } from '../options.js';
import { withFormat, type Format } from '../output.js';
import { examples } from '../program.js';

/** Options of the `dag` commands that print data. */
export interface DagPrintOptions {
  format?: Format;
  json?: boolean;
  limit?: number;
}

const action = () => import('./dag-action.js');

/** `pinpipe dag …`: list DAGs, their runs, pause, unpause, trigger, backfill, export to Airflow, run one task. */
export function registerDag(program: Command, globals: () => GlobalOptions): void {
  const dag = program.command('dag').description('the scheduler: DAGs, runs, triggers, backfills (the batch DAG is <prefix>_dag; docs/scheduler.md)');

  withFormat(dag.command('list').description('the DAGs: schedule, paused or not, next run, last run'), ['table', 'json']).action(async (o: DagPrintOptions) =>
    (await action()).listDags(o, globals()),
  );

  const runs = dag
    .command('runs')
    .description("a DAG's runs, newest first, with each task's state, tries and duration")
    .argument('<dag-id>')
    .addOption(new Option('--limit <n>', 'at most this many runs').argParser(int({ min: 1 })).default(20));
  withFormat(runs, ['table', 'json']).action(async (id: string, o: DagPrintOptions) => (await action()).listRuns(id, o, globals()));

  dag
    .command('pause')
    .description('stop creating and starting runs of a DAG (running tasks finish)')
    .argument('<dag-id>')
    .action(async (id: string) => (await action()).setPaused(id, true, globals()));
  dag
    .command('unpause')
    .description('let a paused DAG run again')
    .argument('<dag-id>')
    .action(async (id: string) => (await action()).setPaused(id, false, globals()));

  const trigger = dag
    .command('trigger')
    .description('queue a manual run (a running `pinpipe up` starts it); with --wait, wait for it to end (running it here when nothing else runs)')
    .argument('<dag-id>')
    .option('--date <date>', 'logical date: YYYY-MM-DD (midnight UTC) or an ISO 8601 date-time; default now')
    .option('--wait', 'return when the run ends; exit 1 if it failed')
    .action(async (id: string, o: { date?: string; wait?: boolean }) => (await action()).triggerDag(id, o, globals()));
  examples(trigger, ['pinpipe dag trigger pinterest_dag --wait', 'pinpipe dag trigger pinterest_dag --date 2024-05-01 --wait']);

  const backfill = dag
    .command('backfill')
    .description(
      'run the DAG for every interval whose logical date is in [--from, --to], oldest first (dates that have a run are left alone); returns when all have ended',
    )
    .argument('<dag-id>')
    .requiredOption('--from <date>', 'first logical date: YYYY-MM-DD or ISO 8601')
    .requiredOption('--to <date>', 'last logical date (included)')
    .action(async (id: string, o: { from: string; to: string }) => (await import('./dag-backfill.js')).backfillDag(id, o, globals()));
  examples(backfill, ['pinpipe dag backfill pinterest_dag --from 2024-05-01 --to 2024-05-07']);

  const exp = dag
    .command('export-airflow')
    .description(
      'write the batch DAG as an Airflow 3 DAG file: same schedule, catchup off, same retries and task graph; each task runs `pinpipe dag task … --date {{ ds }}`',
    )
    .option('--out <file>', 'write here (default: stdout)')
    .option('--pinpipe-command <cmd>', 'the pinpipe command on the Airflow worker (default: this pinpipe, absolute); the data dir, prefix and config go along')
    .action(async (o: { out?: string; pinpipeCommand?: string }) => (await import('./dag-export-airflow.js')).exportAirflow(o, globals()));
  examples(exp, ['pinpipe dag export-airflow --out ~/airflow/dags/pinterest_dag.py', "pinpipe dag export-airflow --pinpipe-command 'npx pinpipe'"]);

  dag
    .command('task')
    .description('run one task of a DAG for a logical date, in this process (what the scheduler and an exported Airflow DAG run)')
    .argument('<dag-id>')
    .argument('<task-id>')
    .requiredOption('--date <date>', 'the logical date, YYYY-MM-DD ({{ ds }} in Airflow)')
    .action(async (dagId: string, taskId: string, o: { date: string }) => (await action()).runTask(dagId, taskId, o, globals()));
}
