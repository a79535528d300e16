// The MariaDB peer: a fresh server per suite that the test user reaches over TCP with the URL it gives.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { mariaDbPeer } from './mariadb.js';

const db = mariaDbPeer();

describe('MariaDB peer', { skip: db.skip }, () => {
  it('starts on a free port, lets the URL user write over TCP, and removes its datadir on stop', { timeout: 120_000 }, async () => {
    const m = await db.start('peer_test');
    let stopped = false;
    try {
      const u = new URL(m.url);
      assert.equal(u.hostname, '127.0.0.1');
      assert.equal(Number(u.port), m.port);
      const tcp = spawnSync(
        'mariadb',
        [
          '--no-defaults',
          `--host=${u.hostname}`,
          `--port=${u.port}`,
          `--user=${u.username}`,
          `--password=${u.password}`,
          u.pathname.slice(1),
          '-e',
          "CREATE TABLE t (id INT PRIMARY KEY, s VARCHAR(20)); INSERT INTO t VALUES (1, 'ünïcode ✓')",
        ],
        { encoding: 'utf8' },
      );
      assert.equal(tcp.status, 0, tcp.stderr);
      assert.equal(m.sql('SELECT id, s FROM peer_test.t'), '1\tünïcode ✓\n');
      const datadir = m.sql('SELECT @@datadir').trim();
      assert.ok(existsSync(datadir));
      await m.stop();
      stopped = true;
      assert.equal(existsSync(datadir), false);
    } finally {
      if (!stopped) await m.stop();
    }
  });
});
