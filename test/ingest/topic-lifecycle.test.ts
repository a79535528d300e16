import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { KAFKA_JSON, makeApp, type TestApp } from '../helpers/app.js';
import { kinesis } from './kinesis/kinesis-helpers.js';

/** Deletes through the stream APIs: streams only, authorised like writes, and a name deleted and used again never reuses an offset. */
describe('stream deletes', () => {
  let t: TestApp;
  before(async () => {
    t = await makeApp();
  });
  after(async () => t.close());
  const produce = (topic: string, values: unknown[]) =>
    t.app.inject({
      method: 'POST',
      url: `/topics/${topic}`,
      headers: { 'content-type': KAFKA_JSON },
      payload: { records: values.map((value) => ({ value })) },
    });

  it('refuses to delete a topic of the batch path through DELETE /streams or DeleteStream; its records stay', async () => {
    assert.equal((await produce('pinterest.pin', [{ index: 1 }, { index: 2 }])).statusCode, 200);
    const viaGateway = await t.app.inject({ method: 'DELETE', url: '/streams/pinterest.pin' });
    assert.deepEqual([viaGateway.statusCode, viaGateway.json().__type], [400, 'ResourceInUseException']);
    assert.match(viaGateway.json().message, /topic of the batch path/);
    const viaKinesis = await kinesis(t.app, 'DeleteStream', { StreamName: 'pinterest.pin' });
    assert.deepEqual([viaKinesis.status, viaKinesis.body.__type], [400, 'ResourceInUseException']);
    assert.deepEqual(await t.log.offsets('pinterest.pin', 0), { start: 0, end: 2 });
    const more = await produce('pinterest.pin', [{ index: 3 }]);
    assert.deepEqual(
      more.json().offsets.map((o: { offset: number }) => o.offset),
      [2],
    );
  });

  it('deletes a stream; a produce to its name then creates it again (no stale 40401) and continues after the old offsets', async () => {
    const put = await t.app.inject({
      method: 'PUT',
      url: '/streams/clicks/records',
      headers: { 'content-type': 'application/json' },
      payload: { records: [1, 2, 3].map((data) => ({ data, 'partition-key': 'k' })) },
    });
    assert.equal(put.statusCode, 200, put.body);
    assert.equal((await produce('clicks', [0])).statusCode, 200); // the REST resolver now knows the topic
    assert.equal((await t.app.inject({ method: 'DELETE', url: '/streams/clicks' })).statusCode, 200);
    const described = await t.app.inject({ url: '/topics/clicks' });
    assert.deepEqual([described.statusCode, described.json().error_code], [404, 40401]);
    const again = await produce('clicks', [{ after: 'delete' }]);
    assert.equal(again.statusCode, 200, again.body);
    assert.deepEqual(again.json().offsets[0], { partition: 0, offset: 4, error_code: null, error: null });
    assert.equal((await t.app.inject({ url: '/topics/clicks' })).statusCode, 200);
  });
});

describe('stream deletes with API keys', () => {
  let t: TestApp;
  before(async () => {
    t = await makeApp({ api: { apiKeys: ['secret-key-1'] } });
  });
  after(async () => t.close());

  it('are authorised like writes: no key 401 (MissingAuthenticationToken), a wrong key 403, a good key deletes', async () => {
    const key = { 'x-api-key': 'secret-key-1' };
    for (const name of ['s1', 's2']) assert.equal((await kinesis(t.app, 'CreateStream', { StreamName: name, ShardCount: 1 }, key)).status, 200);
    const none = await t.app.inject({ method: 'DELETE', url: '/streams/s1' });
    assert.deepEqual([none.statusCode, none.json().__type], [401, 'MissingAuthenticationTokenException']);
    const wrong = await t.app.inject({ method: 'DELETE', url: '/streams/s1', headers: { 'x-api-key': 'not-the-key' } });
    assert.equal(wrong.statusCode, 403);
    assert.equal((await kinesis(t.app, 'DeleteStream', { StreamName: 's2' })).body.__type, 'MissingAuthenticationTokenException');
    assert.equal((await t.log.listTopics()).length, 2);
    assert.equal((await t.app.inject({ method: 'DELETE', url: '/streams/s1', headers: key })).statusCode, 200);
    assert.equal((await kinesis(t.app, 'DeleteStream', { StreamName: 's2' }, key)).status, 200);
    assert.equal((await t.log.listTopics()).length, 0);
  });
});

describe('topic limit (log.maxTopics)', () => {
  let t: TestApp;
  before(async () => {
    t = await makeApp({ log: { maxTopics: 2 } });
  });
  after(async () => t.close());

  it('refuses a produce to a new topic and a new stream past the limit with a clear error; existing topics keep working', async () => {
    const produce = (topic: string) =>
      t.app.inject({ method: 'POST', url: `/topics/${topic}`, headers: { 'content-type': KAFKA_JSON }, payload: { records: [{ value: 1 }] } });
    assert.equal((await produce('a')).statusCode, 200);
    assert.equal((await produce('b')).statusCode, 200);
    const third = await produce('c');
    assert.deepEqual([third.statusCode, third.json().error_code], [409, 40906]);
    assert.match(third.json().message, /limit \(log\.maxTopics\) is 2/);
    const stream = await kinesis(t.app, 'CreateStream', { StreamName: 'c', ShardCount: 1 });
    assert.deepEqual([stream.status, stream.body.__type], [400, 'LimitExceededException']);
    const put = await t.app.inject({
      method: 'PUT',
      url: '/streams/c/record',
      headers: { 'content-type': 'application/json' },
      payload: { Data: 1, PartitionKey: 'k' },
    });
    assert.deepEqual([put.statusCode, put.json().__type], [400, 'LimitExceededException']);
    assert.equal((await produce('a')).statusCode, 200);
  });
});
