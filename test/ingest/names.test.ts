import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MAX_TOPIC_NAME_LENGTH } from '../../src/core/names.js';
import { LocalObjectStore } from '../../src/lake/local/local-store.js';
import { objectKey } from '../../src/lake/sink/object-names.js';
import { KAFKA_JSON, makeApp, type TestApp } from '../helpers/app.js';
import { tempDir } from '../helpers/temp.js';
import { kinesis } from './kinesis/kinesis-helpers.js';

/** Names are limited so that every lake object name built from them fits a file name. */
describe('name limits', () => {
  let t: TestApp;
  before(async () => {
    t = await makeApp();
  });
  after(async () => t.close());

  it('refuses a topic name longer than 228 characters with 42205, acknowledging nothing', async () => {
    for (const length of [229, 238, 249]) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/topics/${'t'.repeat(length)}`,
        headers: { 'content-type': KAFKA_JSON },
        payload: { records: [{ value: 1 }] },
      });
      assert.deepEqual([res.statusCode, res.json().error_code], [422, 42205], res.body);
    }
    assert.deepEqual(await t.log.listTopics(), []);
    const ok = await t.app.inject({
      method: 'POST',
      url: `/topics/${'t'.repeat(228)}`,
      headers: { 'content-type': KAFKA_JSON },
      payload: { records: [{ value: 1 }] },
    });
    assert.equal(ok.statusCode, 200);
  });

  it('refuses such a name on the stream APIs too (ValidationException)', async () => {
    const r = await kinesis(t.app, 'CreateStream', { StreamName: 's'.repeat(129), ShardCount: 1 });
    assert.deepEqual([r.status, r.body.__type], [400, 'ValidationException']);
  });

  it('a name of the longest length still makes lake object names that fit a file name, with the largest partition and offset', async () => {
    const { dir, cleanup } = tempDir('pinpipe-names');
    try {
      const store = new LocalObjectStore(join(dir, 'lake'), { fsync: false });
      const longest = objectKey('t'.repeat(MAX_TOPIC_NAME_LENGTH), 4095, Number.MAX_SAFE_INTEGER);
      await store.put(longest, '1\n');
      assert.equal((await store.get(longest)).toString(), '1\n');
      // One character more and the file system refuses the name: the limit is the tight one.
      await assert.rejects(store.put(objectKey('t'.repeat(MAX_TOPIC_NAME_LENGTH + 1), 4095, Number.MAX_SAFE_INTEGER), '1\n'), /ENAMETOOLONG/);
    } finally {
      cleanup();
    }
  });
});
