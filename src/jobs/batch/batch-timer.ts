import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from '../../core/logger.js';
import { DeltaTable } from '../../delta/index.js';
import type { ObjectStore } from '../../lake/object-store.js';
import { CLEAN_TABLE } from './batch-tables.js';
import { rerunAppId } from './write-plan.js';

/** When the job last committed to the lake's batch tables (epoch ms), or undefined if never. */
export async function lastBatchCommitAt(store: ObjectStore, job: string): Promise<number | undefined> {
  if (!(await DeltaTable.exists(store, CLEAN_TABLE.pin))) return undefined;
  const table = DeltaTable.handle(store, CLEAN_TABLE.pin);
  try {
    const txns = (await table.snapshot()).state.txns;
    const times = [txns.get(job)?.lastUpdated, txns.get(rerunAppId(job))?.lastUpdated].filter((t): t is number => typeof t === 'number');
    return times.length ? Math.max(...times) : undefined;
  } finally {
    await table.close();
  }
}

export interface BatchTimerOptions {
  /** Time between runs; a run is due `intervalMs` after the later of the last commit and the last attempt. */
  readonly intervalMs: number;
  /** Wait after a failed run before trying again (default min(intervalMs, 5 min)). */
  readonly retryDelayMs?: number;
  readonly run: () => Promise<unknown>;
  /** The last commit time in the lake, so that a restart does not run early (or late). */
  readonly lastCommitAt: () => Promise<number | undefined>;
  readonly logger: Logger;
}

/**
 * Run the batch job every `intervalMs` (a plain timer until the scheduler takes over): the first
 * run is due `intervalMs` after the last one recorded in the lake, at once if none. Runs never
 * overlap. `stop()` cancels the wait and waits for a run in progress.
 */
export function startBatchTimer(o: BatchTimerOptions): { stop(): Promise<void> } {
  const abort = new AbortController();
  const sleep = (ms: number): Promise<void> => delay(Math.max(0, ms), undefined, { signal: abort.signal }).catch(() => undefined);
  const loop = async (): Promise<void> => {
    let lastAttempt = 0;
    while (!abort.signal.aborted) {
      const last = Math.max(lastAttempt, (await o.lastCommitAt().catch(() => undefined)) ?? 0);
      await sleep(last === 0 ? 0 : last + o.intervalMs - Date.now());
      if (abort.signal.aborted) return;
      lastAttempt = Date.now();
      try {
        await o.run();
      } catch (err) {
        o.logger.error({ err }, 'scheduled batch run failed');
        await sleep(o.retryDelayMs ?? Math.min(o.intervalMs, 300_000));
        lastAttempt = 0;
      }
    }
  };
  const done = loop();
  return {
    async stop() {
      abort.abort();
      await done;
    },
  };
}
