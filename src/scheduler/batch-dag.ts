import type { BatchOptions, BatchReport } from '../jobs/batch/index.js';
import { batchJobName, listRawObjects, parseRunDate, runBatch } from '../jobs/batch/index.js';
import { batchTopics } from '../core/config.js';
import { RECORD_KINDS, type RecordKind } from '../transforms/index.js';
import type { DagSpec, RetryPolicy, TaskContext } from './dag.js';

/** The schedule settings of the built-in DAG (the config's `scheduler` section). */
export interface BatchDagSettings {
  readonly schedule: string;
  readonly timezone: string;
  readonly catchup: boolean;
  readonly startDate?: string;
  readonly retry: RetryPolicy;
  readonly executionTimeoutMs: number;
}

/** The task ids of the built-in DAG and their upstream tasks: read the raw lake → clean pin, geo, user in parallel → results. */
export const BATCH_DAG_TASKS: readonly { readonly id: string; readonly upstream: readonly string[] }[] = [
  { id: 'read_lake', upstream: [] },
  ...RECORD_KINDS.map((k) => ({ id: `clean_${k}`, upstream: ['read_lake'] })),
  { id: 'results', upstream: RECORD_KINDS.map((k) => `clean_${k}`) },
];

const tables = (r: BatchReport): string =>
  Object.values(r.tables)
    .map((t) => `${t.table} ${t.status}${t.status === 'committed' ? ` v${t.version} +${t.rowsAdded} rows` : t.reason ? ` (${t.reason})` : ''}`)
    .join('; ');

/**
 * The built-in DAG `<prefix>_dag` over the batch job: `read_lake` lists the raw objects of the
 * three topics (and fails when the lake cannot be read); `clean_pin|geo|user` clean one kind each
 * into its table; `results` stores the rejects and the ten result sets. Each run uses the run's
 * `ds` as the batch date and adds what arrived since the tables' last run (mode `rerun`), so
 * several runs on one day each pick up new data and a retried task never adds a row twice.
 */
export function batchDag(batch: Omit<BatchOptions, 'date' | 'mode' | 'kinds'>, s: BatchDagSettings): DagSpec {
  const opts = (ctx: TaskContext): BatchOptions => ({ ...batch, date: parseRunDate(ctx.ds), mode: 'rerun' });
  const clean = (kind: RecordKind) => ({
    id: `clean_${kind}`,
    upstream: ['read_lake'],
    async run(ctx: TaskContext) {
      const r = await runBatch({ ...opts(ctx), kinds: [kind] });
      ctx.log(`clean ${kind} for ${ctx.ds}: read ${r.read[kind].objects} objects, ${r.read[kind].records} records; ${tables(r)}`);
    },
  });
  return {
    id: batchJobName(batch.prefix),
    description: 'raw lake → clean pin, geo and user (in parallel) → the ten result sets',
    schedule: s.schedule,
    timezone: s.timezone,
    catchup: s.catchup,
    startDate: s.startDate === undefined ? undefined : Date.parse(s.startDate),
    retry: s.retry,
    executionTimeoutMs: s.executionTimeoutMs,
    tasks: [
      {
        id: 'read_lake',
        async run(ctx) {
          const topics = batchTopics(batch.prefix);
          for (const kind of RECORD_KINDS) ctx.log(`${topics[kind]}: ${(await listRawObjects(batch.store, topics[kind])).length} raw objects in the lake`);
        },
      },
      ...RECORD_KINDS.map(clean),
      {
        id: 'results',
        upstream: RECORD_KINDS.map((k) => `clean_${k}`),
        async run(ctx) {
          const r = await runBatch(opts(ctx));
          const counts = new Map<string, number>();
          for (const t of Object.values(r.results)) counts.set(t.status, (counts.get(t.status) ?? 0) + 1);
          ctx.log(`results for ${ctx.ds}: ${tables(r)}; result sets ${[...counts].map(([k, n]) => `${n} ${k}`).join(', ')}`);
        },
      },
    ],
  };
}
