import type { FastifyInstance } from 'fastify';
import { parseConfig, type Config, type ConfigInput } from '../../src/core/config.js';
import { createLogger } from '../../src/core/logger.js';
import { buildApp } from '../../src/ingest/app.js';
import type { OffsetLog } from '../../src/log/log.js';
import { openLog } from '../../src/log/index.js';
import { tempDir } from './temp.js';

export interface TestApp {
  app: FastifyInstance;
  log: OffsetLog;
  config: Config;
  dir: string;
  close(): Promise<void>;
}

/** An ingest app on a fresh sqlite log in a temp dir (fsync off: tests don't need power-loss safety). */
export async function makeApp(input: ConfigInput = {}, wrapLog?: (log: OffsetLog) => OffsetLog): Promise<TestApp> {
  const { dir, cleanup } = tempDir('pinpipe-api');
  const config = parseConfig({ ...input, dataDir: dir, log: { fsync: 'off', ...(input.log ?? {}) } });
  const real = await openLog(config.log, dir); // <dir>/log/pinpipe.db, with the config's log options (fsync off)
  const log = wrapLog ? wrapLog(real) : real;
  const app = await buildApp({ config, log, logger: createLogger('silent') });
  await app.ready();
  return {
    app,
    log,
    config,
    dir,
    async close() {
      await app.close();
      await real.close();
      cleanup();
    },
  };
}

export const KAFKA_JSON = 'application/vnd.kafka.json.v2+json';
