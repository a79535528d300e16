import { isError, PinpipeError } from '../../core/errors.js';
import { parseStats, type CommitResult, type Snapshot } from '../../delta/index.js';

/** What a run did to one table. */
export interface TableReport {
  /** Lake key, e.g. `tables/pin`. */
  readonly table: string;
  /** committed: a new version; skipped: the date rules said no (see reason); unchanged: a rerun found nothing new. */
  readonly status: 'committed' | 'skipped' | 'unchanged';
  readonly reason?: string;
  /** The table version after the run. */
  readonly version: number;
  /** Rows added (cleaned and rejects tables) or written (results). */
  readonly rowsAdded: number;
  /** Raw objects and records this table consumed in the run. */
  readonly objectsRead?: number;
  readonly recordsRead?: number;
}

/**
 * Run a commit; a lost commit race (the batch tables allow no silent retry: the winner may have
 * consumed the same objects) becomes DELTA_CONFLICT. Nothing of this run is in the table then.
 */
export async function commitOrConflict(table: string, write: () => Promise<CommitResult>): Promise<CommitResult> {
  try {
    return await write();
  } catch (err) {
    if (!isError(err, 'DELTA_COMMIT_RETRIES')) throw err;
    throw new PinpipeError(
      'DELTA_CONFLICT',
      `Another writer committed to ${table} while this batch run was writing it; this run's part was not committed. Run it again.`,
      { cause: err },
    );
  }
}

/** Rows in the files a commit added (from their statistics). */
export function rowsAdded(before: Snapshot, after: Snapshot): number {
  const old = new Set(before.files.map((f) => f.path));
  let n = 0;
  for (const f of after.files) if (!old.has(f.path)) n += parseStats(f)?.numRecords ?? 0;
  return n;
}
