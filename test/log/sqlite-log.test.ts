import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteLog } from '../../src/log/sqlite/sqlite-log.js';
import { runLogContract } from './log-contract.js';

runLogContract('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pinpipe-log-'));
  const path = join(dir, 'log', 'pinpipe.db');
  const log = await openSqliteLog({ path, fsync: 'off' });
  return {
    log,
    reopen: () => openSqliteLog({ path, fsync: 'off' }),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
});
