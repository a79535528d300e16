import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { registry } from '../../src/core/metrics.js';
import { KAFKA_JSON, makeApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
before(async () => {
  t = await makeApp({ log: { defaultPartitions: 2 } });
});
after(() => t.close());

const produce = (topic: string, records: unknown[]) =>
  t.app.inject({ method: 'POST', url: `/topics/${topic}`, headers: { 'content-type': KAFKA_JSON }, payload: { records } });

describe('GET /topics/{t}/partitions/{p}/offsets (REST Proxy v2)', () => {
  it('answers the first offset and the next offset of the partition', async () => {
    await produce('offsets.a', [
      { value: 1, partition: 0 },
      { value: 2, partition: 0 },
      { value: 3, partition: 1 },
    ]);
    const p0 = await t.app.inject({ method: 'GET', url: '/topics/offsets.a/partitions/0/offsets' });
    assert.equal(p0.statusCode, 200);
    assert.deepEqual(p0.json(), { beginning_offset: 0, end_offset: 2 });
    const p1 = await t.app.inject({ method: 'GET', url: '/topics/offsets.a/partitions/1/offsets' });
    assert.deepEqual(p1.json(), { beginning_offset: 0, end_offset: 1 });
    const meta = await t.app.inject({ method: 'GET', url: '/topics/offsets.a/partitions/1' });
    assert.equal(meta.json().partition, 1);
  });

  it('a partition the topic does not have is 40402, an unknown topic 40401', async () => {
    const bad = await t.app.inject({ method: 'GET', url: '/topics/offsets.a/partitions/7/offsets' });
    assert.equal(bad.statusCode, 404);
    assert.equal(bad.json().error_code, 40402);
    assert.match(bad.json().message, /partitions 0-1/);
    const none = await t.app.inject({ method: 'GET', url: '/topics/offsets.none/partitions/0/offsets' });
    assert.equal(none.json().error_code, 40401);
  });
});

describe('415 Unsupported Media Type', () => {
  it('names the content types that are accepted', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/topics/offsets.a',
      headers: { 'content-type': 'application/vnd.kafka.binary.v2+json' },
      payload: '{"records":[{"value":"aGk="}]}',
    });
    assert.equal(res.statusCode, 415);
    assert.equal(res.json().error_code, 415);
    assert.match(res.json().message, /send Content-Type application\/vnd\.kafka\.json\.v2\+json, application\/vnd\.kafka\.v2\+json, application\/json/);
  });
});

describe('/metrics names', () => {
  it('has no doubled prefix', async () => {
    const text = await registry.metrics();
    assert.match(text, /^pinpipe_process_cpu_user_seconds_total /m);
    assert.doesNotMatch(text, /pinpipe_process_process_/);
  });
});
