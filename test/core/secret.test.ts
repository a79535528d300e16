import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { dataDirSecret } from '../../src/core/secret.js';
import { tempDir } from '../helpers/temp.js';

describe('data-dir secrets', () => {
  it('makes a 32-byte key once per data dir, readable only by its owner, and gives every later caller the same', () => {
    const a = tempDir();
    const b = tempDir();
    try {
      const key = dataDirSecret(a.dir, 'shard-iterators');
      assert.equal(key.length, 32);
      assert.deepEqual(dataDirSecret(a.dir, 'shard-iterators'), key, 'a restart (or another process of the data dir) signs alike');
      assert.equal(statSync(join(a.dir, 'secrets', 'shard-iterators')).mode & 0o777, 0o600);
      assert.notDeepEqual(dataDirSecret(b.dir, 'shard-iterators'), key);
      assert.notDeepEqual(dataDirSecret(a.dir, 'other'), key);
    } finally {
      a.cleanup();
      b.cleanup();
    }
  });
});
