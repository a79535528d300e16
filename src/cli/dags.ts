import type { Config } from '../core/config.js';
import type { Logger } from '../core/logger.js';
import { join, resolve } from 'node:path';
import type { ObjectStore } from '../lake/object-store.js';
import { batchDag } from '../scheduler/batch-dag.js';
import { defineDag, SchedulerStore, type Dag } from '../scheduler/index.js';
import { batchOptionsFrom } from './commands/batch-action.js';

/** The scheduler's store: `<dataDir>/scheduler/scheduler.db`. */
export function openSchedulerStore(config: Config): SchedulerStore {
  return new SchedulerStore(join(resolve(config.dataDir), 'scheduler', 'scheduler.db'));
}

/** The DAGs pinpipe knows: the built-in batch DAG `<prefix>_dag`, scheduled by the config (or the demo schedule). */
export function builtinDags(config: Config, logger: Logger, opts: { demo?: boolean; store?: ObjectStore } = {}): Dag[] {
  const s = config.scheduler;
  const { logger: _l, ...batch } = batchOptionsFrom(config, logger, opts.store);
  return [
    defineDag(
      batchDag(
        { ...batch, logger },
        {
          schedule: opts.demo ? s.demoSchedule : s.schedule,
          timezone: s.timezone,
          catchup: s.catchup,
          startDate: s.startDate,
          retry: { retries: s.retries, delayMs: s.retryDelayMs, exponentialBackoff: s.retryExponentialBackoff, maxDelayMs: s.maxRetryDelayMs },
          executionTimeoutMs: s.taskTimeoutMs,
        },
      ),
    ),
  ];
}
