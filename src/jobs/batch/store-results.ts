import { createHash } from 'node:crypto';
import type { Sql } from '../../core/duckdb.js';
import { isError } from '../../core/errors.js';
import { ANALYTICS } from '../../analytics/index.js';
import type { DeltaTable, Snapshot } from '../../delta/index.js';
import type { ObjectStore } from '../../lake/object-store.js';
import type { RecordKind } from '../../transforms/index.js';
import { readBatchCommit, STATE_FIELD, type BatchCommitState } from './batch-state.js';
import { openResultTable } from './batch-tables.js';
import type { RunDate } from './run-date.js';
import { commitOrConflict, type TableReport } from './table-report.js';
import { planWrite, type RunMode } from './write-plan.js';

export interface ResultsRun {
  readonly sql: Sql;
  readonly store: ObjectStore;
  readonly job: string;
  readonly date: RunDate;
  readonly mode: RunMode;
  readonly tables: Readonly<Record<RecordKind, DeltaTable>>;
}

/** What a table holds, as the hash of its live data files (a commit that adds no rows keeps it). */
export function dataFingerprint(snapshot: Snapshot): string {
  const h = createHash('sha256');
  for (const path of snapshot.files.map((f) => f.path).sort()) h.update(`${path}\n`);
  return h.digest('hex').slice(0, 32);
}

const same = (a: BatchCommitState['inputs'], b: NonNullable<BatchCommitState['inputs']>): boolean =>
  a !== undefined && Object.keys(a).length === Object.keys(b).length && Object.keys(b).every((k) => a[k]?.data === b[k].data);

/**
 * Compute the ten docs/data.md §5 result sets over the latest cleaned tables and store each as the Delta
 * table `results/<id>` (overwritten, one commit each, recording what the cleaned tables held).
 * A result already computed from the same data is left alone: running a date twice commits
 * nothing the second time, and a run that adds no rows leaves the results as they are.
 */
export async function storeResults(run: ResultsRun): Promise<Record<string, TableReport>> {
  const { sql, store, job } = run;
  const snaps = { pin: await run.tables.pin.snapshot(), geo: await run.tables.geo.snapshot(), user: await run.tables.user.snapshot() };
  const inputs = Object.fromEntries(Object.values(snaps).map((s) => [s.table, { version: s.version, data: dataFingerprint(s) }]));
  const rels = { pin: 'batch_in_pin', geo: 'batch_in_geo', user: 'batch_in_user' };
  let registered = false;
  const out: Record<string, TableReport> = {};
  for (const a of ANALYTICS) {
    const table = await openResultTable(sql, store, a);
    const snap = await table.snapshot();
    const before = await readBatchCommit(store, snap, job).catch((err: unknown) => {
      if (isError(err, 'BATCH_STATE_MISSING')) return undefined;
      throw err;
    });
    if (run.mode !== 'full' && same(before?.state.inputs, inputs)) {
      out[a.id] = { table: table.table, status: 'unchanged', reason: 'already computed from the same cleaned data', version: snap.version, rowsAdded: 0 };
      continue;
    }
    if (!registered) {
      for (const kind of ['pin', 'geo', 'user'] as const) await run.tables[kind].registerView(rels[kind], { snapshot: snaps[kind] });
      registered = true;
    }
    const plan = planWrite(snap, job, run.date, 'full');
    const state: BatchCommitState = { job, date: run.date.text, mode: run.mode, inputs };
    const result = await commitOrConflict(table.table, () =>
      table.overwrite(a.sql(rels), { txn: plan.skip === undefined ? plan.txn : undefined, commitInfo: { [STATE_FIELD]: state }, basis: snap }),
    );
    out[a.id] = { table: table.table, status: result.committed ? 'committed' : 'skipped', version: result.version, rowsAdded: result.snapshot.numRecords ?? 0 };
  }
  return out;
}
