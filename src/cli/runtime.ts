import { join, resolve } from 'node:path';
import { loadConfig, type Config } from '../core/config.js';
import { createLogger, type Logger } from '../core/logger.js';
import { LocalObjectStore } from '../lake/local/local-store.js';
import type { ObjectStore } from '../lake/object-store.js';
import { openLog } from '../log/index.js';
import type { Log } from '../log/log.js';

/** Global options every command takes. */
export interface GlobalOptions {
  dataDir?: string;
  prefix?: string;
  config?: string;
}

/** Load the effective config: defaults ← file ← env ← global options ← command overrides. */
export function configFrom(g: GlobalOptions, overrides: Record<string, unknown> = {}): Config {
  return loadConfig({ configPath: g.config, overrides: { dataDir: g.dataDir, prefix: g.prefix, ...overrides } });
}

export interface Runtime {
  config: Config;
  logger: Logger;
  log: Log;
  lake: ObjectStore;
  close(): Promise<void>;
}

/** Open the pieces most commands share: the log and the lake, under the data dir. */
export async function openRuntime(config: Config, opts: { logger?: Logger } = {}): Promise<Runtime> {
  const logger = opts.logger ?? createLogger(config.logLevel);
  const log = await openLog(config.log, resolve(config.dataDir));
  const lake = new LocalObjectStore(lakeDir(config));
  return {
    config,
    logger,
    log,
    lake,
    async close() {
      await log.close();
    },
  };
}

/** Where the lake lives on local disk. */
export function lakeDir(config: Config): string {
  return join(resolve(config.dataDir), 'lake');
}
