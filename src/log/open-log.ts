import { join } from 'node:path';
import type { Config } from '../core/config.js';
import type { Log } from './log.js';
import { openSqliteLog } from './sqlite/sqlite-log.js';

/** Open the configured log backend; the embedded sqlite log lives in `<dataDir>/log/pinpipe.db`. */
export async function openLog(cfg: Config['log'], dataDir: string): Promise<Log> {
  switch (cfg.backend) {
    case 'sqlite':
      return openSqliteLog({
        path: join(dataDir, 'log', 'pinpipe.db'),
        fsync: cfg.fsync,
        groupCommitDelayMs: cfg.groupCommitDelayMs,
        defaultPartitions: cfg.defaultPartitions,
      });
  }
}
