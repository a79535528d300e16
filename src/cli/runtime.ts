import { join, resolve } from 'node:path';
import { loadConfig, type Config } from '../core/config.js';
import { createLogger, type Logger } from '../core/logger.js';
import { LocalObjectStore } from '../lake/local/local-store.js';
import type { ObjectStore } from '../lake/object-store.js';
import { logUrls, openLogUrl, openOffsetLogUrl } from '../log/index.js';
import type { Log, OffsetLog } from '../log/log.js';
import { requireDataDir } from './data-dir.js';
import type { GlobalOptions } from './globals.js';

export type { GlobalOptions };

/** Load the effective config: defaults ← file ← env ← global options ← command overrides (`--verbose` means debug logs). */
export function configFrom(g: GlobalOptions, overrides: Record<string, unknown> = {}): Config {
  const urls = { log: g.log === undefined ? undefined : { url: g.log }, streams: g.streams === undefined ? undefined : { url: g.streams } };
  return loadConfig({
    configPath: g.config,
    overrides: { dataDir: g.dataDir, prefix: g.prefix, ...urls, ...(g.verbose ? { logLevel: 'debug' } : {}), ...overrides },
  });
}

/** The config of a command that reads an existing data dir: DATA_DIR_MISSING when there is none. */
export function existingConfigFrom(g: GlobalOptions, overrides: Record<string, unknown> = {}): Config {
  const config = configFrom(g, overrides);
  requireDataDir(config.dataDir);
  return config;
}

export interface Runtime {
  config: Config;
  logger: Logger;
  /** The topics' log (`log.url`): sqlite or Kafka, with offsets. */
  log: OffsetLog;
  /** The streams' log (`streams.url`; the same object as `log` when the URLs agree). */
  streams: Log;
  lake: ObjectStore;
  close(): Promise<void>;
}

/** Open the pieces most commands share: the log and the lake, under the data dir. */
export async function openRuntime(config: Config, opts: { logger?: Logger } = {}): Promise<Runtime> {
  const logger = opts.logger ?? createLogger(config.logLevel);
  const urls = logUrls(config);
  const log = await openOffsetLogUrl(urls.log, config.log);
  let streams: Log = log;
  if (urls.streams !== urls.log) {
    try {
      streams = await openLogUrl(urls.streams, config.log, config.streams);
    } catch (err) {
      await log.close();
      throw err;
    }
  }
  const lake = new LocalObjectStore(lakeDir(config));
  return {
    config,
    logger,
    log,
    streams,
    lake,
    async close() {
      await log.close();
      if (streams !== log) await streams.close();
    },
  };
}

/** Where the lake lives on local disk. */
export function lakeDir(config: Config): string {
  return join(resolve(config.dataDir), 'lake');
}
