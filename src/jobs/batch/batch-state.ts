import { PinpipeError } from '../../core/errors.js';
import { parseCommit, readCommit, type Snapshot } from '../../delta/index.js';
import type { ObjectStore } from '../../lake/object-store.js';
import type { Watermarks } from './raw-objects.js';
import type { RunMode } from './write-plan.js';

/** The commitInfo field in which each batch commit records its state. */
export const STATE_FIELD = 'pinpipeBatch';

/** What a batch commit records in its commitInfo (under `pinpipeBatch`). */
export interface BatchCommitState {
  /** The job, `<prefix>_dag`. */
  job: string;
  /** The run's logical date, YYYY-MM-DD. */
  date: string;
  mode: RunMode;
  /** Cleaned and rejects tables: every raw object consumed so far (this run's and earlier ones). */
  watermarks?: Record<string, number>;
  /** Result tables: what each cleaned table held when they were computed (see dataFingerprint). */
  inputs?: Record<string, { version: number; data: string }>;
  objectsRead?: number;
  recordsRead?: number;
  rowsWritten?: number;
}

/**
 * The batch state a commitInfo records: its `pinpipeBatch` field (pinpipe's commits) or the same
 * object inside `userMetadata` as JSON (`{"pinpipeBatch": …}`: the exported Spark job's commits,
 * since Spark's writers can add no other commitInfo field).
 */
export function commitState(info: Record<string, unknown>): BatchCommitState | undefined {
  let state = info[STATE_FIELD];
  if (state === undefined && typeof info.userMetadata === 'string') {
    try {
      state = (JSON.parse(info.userMetadata) as Record<string, unknown> | null)?.[STATE_FIELD];
    } catch {
      return undefined;
    }
  }
  return state && typeof state === 'object' ? (state as BatchCommitState) : undefined;
}

/** The newest batch commit of a table: its version, time and recorded state. */
export interface BatchCommit {
  readonly version: number;
  /** commitInfo.timestamp, epoch ms. */
  readonly timestamp: number;
  readonly state: BatchCommitState;
}

/**
 * The newest commit of `job` in a table, found by reading the log backwards from the snapshot's
 * version (the first commit read is usually it); undefined when the job never committed there.
 * BATCH_STATE_MISSING when the job's txn is in the table but no commit recording its state can
 * be read (only `--full` can continue then).
 */
export async function readBatchCommit(store: ObjectStore, snapshot: Snapshot, job: string): Promise<BatchCommit | undefined> {
  if (snapshot.txnVersion(job) === undefined) return undefined;
  for (let v = snapshot.version; v >= 0; v--) {
    const text = await readCommit(store, snapshot.table, v);
    if (text === undefined) break;
    for (const a of parseCommit(text, v)) {
      const state = a.commitInfo && commitState(a.commitInfo);
      if (state && state.job === job) return { version: v, timestamp: a.commitInfo!.timestamp, state };
    }
  }
  throw new PinpipeError(
    'BATCH_STATE_MISSING',
    `Delta table ${snapshot.table} has commits of ${job} but none recording its state can be read; rebuild with \`pinpipe batch run --full\`.`,
  );
}

/** The raw objects a table has consumed, per partition folder (empty when it never ran). */
export async function readWatermarks(store: ObjectStore, snapshot: Snapshot, job: string): Promise<Watermarks> {
  const state = (await readBatchCommit(store, snapshot, job))?.state;
  if (state && !state.watermarks)
    throw new PinpipeError(
      'BATCH_STATE_MISSING',
      `The last ${job} commit of ${snapshot.table} records no watermarks; rebuild with \`pinpipe batch run --full\`.`,
    );
  return state?.watermarks ?? {};
}
