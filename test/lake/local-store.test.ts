import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isError } from '../../src/core/errors.js';
import { LocalObjectStore, TEMP_DIR } from '../../src/lake/local/local-store.js';
import { tempDir } from '../helpers/temp.js';

describe('local object store', () => {
  it('puts, gets, lists by prefix, deletes', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const s = new LocalObjectStore(dir);
      await s.put('topics/a/partition=0/a+0+0000000000.json', '1\n');
      await s.put('topics/a/partition=1/a+1+0000000000.json', '2\n');
      await s.put('topics/ab/x.json', '3\n');
      assert.deepEqual(
        (await s.list('topics/a/')).map((o) => o.key),
        ['topics/a/partition=0/a+0+0000000000.json', 'topics/a/partition=1/a+1+0000000000.json'],
      );
      assert.equal((await s.list('topics/a')).length, 3);
      assert.equal((await s.get('topics/ab/x.json')).toString(), '3\n');
      await s.delete('topics/ab/x.json');
      assert.equal(await s.head('topics/ab/x.json'), undefined);
      await assert.rejects(s.get('topics/ab/x.json'), (e) => isError(e, 'OBJECT_NOT_FOUND'));
    } finally {
      cleanup();
    }
  });

  it('put-if-absent refuses an existing object atomically', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const s = new LocalObjectStore(dir);
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, (_, i) => s.put('_delta_log/00000000000000000001.json', String(i), { ifAbsent: true })),
      );
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      assert.ok(results.every((r) => r.status === 'fulfilled' || isError(r.reason, 'OBJECT_EXISTS')));
    } finally {
      cleanup();
    }
  });

  it('putAll writes many objects and refuses the whole call on a bad key before anything is visible', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const s = new LocalObjectStore(dir);
      const items = Array.from({ length: 70 }, (_, i) => ({ key: `t/p=0/t+0+${String(i).padStart(10, '0')}.json`, body: `${i}\n` }));
      await s.putAll(items);
      assert.deepEqual(
        (await s.list('t/')).map((o) => o.key),
        items.map((i) => i.key),
      );
      assert.equal((await s.get(items[69].key)).toString(), '69\n');
      await assert.rejects(
        s.putAll([
          { key: 'u/a.json', body: 'a' },
          { key: '../escape', body: 'b' },
        ]),
        (e) => isError(e, 'INVALID_NAME'),
      );
      assert.deepEqual(await s.list('u/'), []);
      assert.deepEqual(readdirSync(join(dir, TEMP_DIR)), []);
    } finally {
      cleanup();
    }
  });

  it('refuses keys that could leave the root', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const s = new LocalObjectStore(dir);
      for (const key of ['../x', 'a/../../x', '/etc/passwd', 'a//b', 'a\\b', '', `${TEMP_DIR}/x`])
        await assert.rejects(s.put(key, 'x'), (e) => isError(e, 'INVALID_NAME'), key);
    } finally {
      cleanup();
    }
  });

  it('keeps in-flight temp files out of listings and sweeps stale ones', async () => {
    const { dir, cleanup } = tempDir();
    try {
      mkdirSync(join(dir, TEMP_DIR));
      const stale = join(dir, TEMP_DIR, '123-dead');
      writeFileSync(stale, 'partial');
      const old = (Date.now() - 2 * 3_600_000) / 1000;
      utimesSync(stale, old, old);
      writeFileSync(join(dir, TEMP_DIR, '456-live'), 'partial');
      const s = new LocalObjectStore(dir);
      assert.deepEqual(await s.list(''), []);
      await s.put('a.json', 'x');
      assert.equal(existsSync(stale), false);
      assert.deepEqual(readdirSync(join(dir, TEMP_DIR)), ['456-live']);
    } finally {
      cleanup();
    }
  });
});
