import type { Snapshot } from '../../delta/index.js';
import { runDateText, type RunDate } from './run-date.js';

/**
 * How a run treats a date: `incremental` (the default) adds what arrived since the table's last
 * run unless this date (or a later one) has already run; `rerun` runs a date that already ran
 * again, adding only what arrived since; `full` rebuilds the table from every raw object.
 */
export type RunMode = 'incremental' | 'rerun' | 'full';

/** What one table does in a run: skip (with the reason), or write under this Delta txn. */
export type WritePlan = { readonly skip: string } | { readonly skip?: undefined; readonly txn: { appId: string; version: number } };

/** The txn appId that numbers the reruns of a date that already ran. */
export function rerunAppId(job: string): string {
  return `${job}:rerun`;
}

/**
 * The date rules of a table (see docs/batch.md): the job's txn version is the latest date that
 * ran on the table. A first run of a date commits under txn (job, YYYYMMDD), so running it again
 * adds nothing; an older date than the latest never runs incrementally; a rerun of the latest
 * date (or a rebuild with a date not later than it) commits under txn (`<job>:rerun`, n+1),
 * leaving the date mark as it is.
 */
export function planWrite(snapshot: Snapshot, job: string, date: RunDate, mode: RunMode): WritePlan {
  const done = snapshot.txnVersion(job) ?? -1;
  if (done < date.version) return { txn: { appId: job, version: date.version } };
  if (mode !== 'full') {
    if (done > date.version) return { skip: `a later date (${runDateText(done)}) has already run` };
    if (mode === 'incremental') return { skip: `${date.text} has already run (use --rerun to add what arrived since, --full to rebuild)` };
  }
  const rerun = rerunAppId(job);
  return { txn: { appId: rerun, version: (snapshot.txnVersion(rerun) ?? 0) + 1 } };
}
