import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, before } from 'node:test';
import { freePort, peerMissing, waitFor } from './peer.js';
import { spawnPeer } from './process.js';

/** A throwaway MariaDB server (Debian's `mariadb-server`) on a loopback port, with its own datadir and socket. */
export interface MariaDbServer {
  /** `mysql://pinpipe:pinpipe@127.0.0.1:<port>/<database>`: a user with every right on `database`. */
  url: string;
  port: number;
  database: string;
  /** Run SQL through the `mariadb` command-line client as root; returns its tab-separated output (no header). */
  sql(statements: string): string;
  output(): string;
  stop(): Promise<void>;
}

const USER = 'pinpipe';
const PASSWORD = 'pinpipe';

/** The first of `names` found on PATH or in the sbin folders (mariadbd lives in /usr/sbin). */
function which(...names: string[]): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/sbin'];
  for (const name of names) for (const dir of dirs) if (dir && existsSync(join(dir, name))) return join(dir, name);
  return undefined;
}

/**
 * Prepare the MariaDB peer: finds `mariadbd`, `mariadb-install-db` and the `mariadb` client.
 * `skip` is false when they are installed, else the reason (under PINPIPE_REQUIRE_PEERS=1 this throws).
 * @example const db = mariaDbPeer(); describe('on MariaDB', { skip: db.skip }, () => { const m = db.use(); … m().url … });
 */
export function mariaDbPeer(): { skip: string | false; start: (database?: string) => Promise<MariaDbServer>; use: (database?: string) => () => MariaDbServer } {
  const bins = { server: which('mariadbd', 'mysqld'), install: which('mariadb-install-db', 'mysql_install_db'), client: which('mariadb', 'mysql') };
  const missing = Object.entries(bins).filter(([, p]) => !p);
  const skip = missing.length === 0 ? false : peerMissing('MariaDB', `no ${missing.map(([k]) => k).join(', ')} binary (Debian package mariadb-server)`);
  const start = (database = 'pinpipe'): Promise<MariaDbServer> => startMariaDb(bins as Record<keyof typeof bins, string>, database);
  const use = (database?: string) => {
    let server: MariaDbServer | undefined;
    before(async () => {
      server = await start(database);
    });
    after(() => server?.stop());
    return () => {
      if (!server) throw new Error('MariaDB is only running inside the tests of the suite that called use()');
      return server;
    };
  };
  return { skip, start, use };
}

/** Initialise a datadir under the OS temp dir, start mariadbd on it and create the test user and database. */
async function startMariaDb(bins: { server: string; install: string; client: string }, database: string): Promise<MariaDbServer> {
  if (!/^[A-Za-z0-9_]+$/.test(database)) throw new Error(`bad database name ${database}`);
  const dir = mkdtempSync(join(tmpdir(), 'pinpipe-mariadb-'));
  const datadir = join(dir, 'data');
  const socket = join(dir, 'mariadb.sock');
  const asRoot = process.getuid?.() === 0 ? ['--user=root'] : [];
  const small = ['--innodb-log-file-size=8M', '--innodb-buffer-pool-size=32M', '--skip-name-resolve'];
  const install = spawnSync(
    bins.install,
    ['--no-defaults', `--datadir=${datadir}`, '--auth-root-authentication-method=normal', '--skip-test-db', ...asRoot, ...small],
    { encoding: 'utf8', timeout: 120_000 },
  );
  if (install.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`mariadb-install-db failed: ${install.stderr || install.stdout || install.error?.message}`);
  }
  const port = await freePort();
  const peer = spawnPeer(bins.server, [
    '--no-defaults',
    `--datadir=${datadir}`,
    `--socket=${socket}`,
    `--port=${port}`,
    '--bind-address=127.0.0.1',
    `--pid-file=${join(dir, 'mariadb.pid')}`,
    `--tmpdir=${dir}`,
    '--skip-log-bin',
    ...asRoot,
    ...small,
  ]);
  const sql = (statements: string): string => {
    const r = spawnSync(bins.client, ['--no-defaults', `--socket=${socket}`, '-u', 'root', '--batch', '--skip-column-names', '-e', statements], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    if (r.status !== 0) throw new Error(`mariadb client failed: ${r.stderr || r.error?.message}`);
    return r.stdout;
  };
  const stop = async () => {
    await peer.stop('SIGTERM', 30_000);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(
      `mariadbd on 127.0.0.1:${port}`,
      () => {
        if (peer.exited()) throw new Error(`mariadbd exited:\n${peer.output()}`);
        return existsSync(socket) && sql('SELECT 1').trim() === '1';
      },
      { timeoutMs: 60_000, intervalMs: 100 },
    );
    sql(
      `CREATE DATABASE ${database} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin; ` +
        `CREATE USER '${USER}'@'127.0.0.1' IDENTIFIED BY '${PASSWORD}'; GRANT ALL ON ${database}.* TO '${USER}'@'127.0.0.1';`,
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return { url: `mysql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`, port, database, sql, output: peer.output, stop };
}
