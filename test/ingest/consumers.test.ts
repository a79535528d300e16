import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { KAFKA_JSON, makeApp, type TestApp } from '../helpers/app.js';

describe('REST Proxy v2 consumers', () => {
  let t: TestApp;
  before(async () => {
    t = await makeApp();
    const res = await t.app.inject({
      method: 'POST',
      url: '/topics/pinterest.pin',
      headers: { 'content-type': KAFKA_JSON },
      payload: JSON.stringify({ records: [1, 2, 3].map((i) => ({ key: `k${i}`, value: { i } })) }),
    });
    assert.equal(res.statusCode, 200);
  });
  after(async () => t.close());

  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, body?: unknown) =>
    t.app.inject({
      method,
      url,
      headers: body === undefined ? {} : { 'content-type': 'application/vnd.kafka.v2+json' },
      payload: body === undefined ? undefined : JSON.stringify(body),
    });

  it('creates an instance, subscribes, fetches, commits and reports offsets', async () => {
    const created = await call('POST', '/consumers/checkers', { name: 'c1', format: 'json', 'auto.offset.reset': 'earliest', 'auto.commit.enable': 'false' });
    assert.equal(created.statusCode, 200, created.body);
    assert.equal(created.json().instance_id, 'c1');
    assert.match(created.json().base_uri, /\/consumers\/checkers\/instances\/c1$/);
    const base = '/consumers/checkers/instances/c1';
    assert.equal((await call('POST', `${base}/subscription`, { topics: ['pinterest.pin'] })).statusCode, 204);
    assert.deepEqual((await call('GET', `${base}/subscription`)).json(), { topics: ['pinterest.pin'] });

    const recs = await call('GET', `${base}/records?timeout=200`);
    assert.equal(recs.statusCode, 200);
    assert.deepEqual(
      recs.json(),
      [1, 2, 3].map((i) => ({ topic: 'pinterest.pin', partition: 0, offset: i - 1, key: `k${i}`, value: { i } })),
    );
    assert.deepEqual((await call('GET', `${base}/records?timeout=50`)).json(), [], 'nothing new');

    assert.equal((await call('POST', `${base}/offsets`, { offsets: [{ topic: 'pinterest.pin', partition: 0, offset: 1 }] })).statusCode, 200);
    assert.deepEqual((await call('GET', `${base}/offsets`)).json(), { offsets: [{ topic: 'pinterest.pin', partition: 0, offset: 2, metadata: '' }] });

    // a new instance of the same group resumes after the committed offset
    await call('POST', '/consumers/checkers', { name: 'c2', 'auto.offset.reset': 'earliest' });
    await call('POST', '/consumers/checkers/instances/c2/subscription', { topics: ['pinterest.pin'] });
    assert.deepEqual(
      (await call('GET', '/consumers/checkers/instances/c2/records')).json().map((r: { offset: number }) => r.offset),
      [2],
    );

    assert.equal((await call('DELETE', base)).statusCode, 204);
    assert.equal((await call('GET', `${base}/records`)).json().error_code, 40403);
  });

  it('delivers a record nested 20,000 deep with its neighbours, and the group moves only past what it delivered', async () => {
    // Written before the API limited nesting (or by another producer): the log holds it, the consumer must not lose the others to it.
    await t.log.createTopic('deep');
    const deep = '['.repeat(20_000) + ']'.repeat(20_000);
    await t.log.append('deep', [
      ...[0, 1, 2].map((i) => ({ value: JSON.stringify({ good: i }) })),
      { value: deep },
      { value: 'not json \u{1F600}' },
      ...[3, 4, 5, 6].map((i) => ({ value: JSON.stringify({ good: i }) })),
    ]);
    await call('POST', '/consumers/deepgroup', { name: 'd1', 'auto.offset.reset': 'earliest' });
    await call('POST', '/consumers/deepgroup/instances/d1/subscription', { topics: ['deep'] });
    const res = await call('GET', '/consumers/deepgroup/instances/d1/records?timeout=0');
    assert.equal(res.statusCode, 200, res.body.slice(0, 300));
    const got = JSON.parse(res.body) as { offset: number; value: unknown }[];
    assert.deepEqual(
      got.map((r) => r.offset),
      [0, 1, 2, 3, 4, 5, 6, 7, 8],
    );
    assert.deepEqual(
      got.filter((r) => r.offset !== 3).map((r) => r.value),
      [{ good: 0 }, { good: 1 }, { good: 2 }, 'not json \u{1F600}', { good: 3 }, { good: 4 }, { good: 5 }, { good: 6 }],
    );
    assert.ok(res.body.includes(`"value":${deep}}`), 'the deep value as stored');
    await call('DELETE', '/consumers/deepgroup/instances/d1'); // commits what it delivered
    assert.equal((await t.log.fetchPositions('deepgroup', 'deep')).get(0), '8');
  });

  it('returns binary values base64-encoded', async () => {
    await call('POST', '/consumers/bin', { name: 'b', format: 'binary', 'auto.offset.reset': 'earliest' });
    await call('POST', '/consumers/bin/instances/b/subscription', { topics: ['pinterest.pin'] });
    const recs = (await call('GET', '/consumers/bin/instances/b/records')).json();
    assert.equal(Buffer.from(recs[0].value, 'base64').toString(), '{"i":1}');
  });

  it('auto-commits what was fetched on the next fetch', async () => {
    await call('POST', '/consumers/auto', { name: 'a', 'auto.offset.reset': 'earliest' });
    await call('POST', '/consumers/auto/instances/a/subscription', { topics: ['pinterest.pin'] });
    assert.equal((await call('GET', '/consumers/auto/instances/a/records')).json().length, 3);
    await call('GET', '/consumers/auto/instances/a/records?timeout=0');
    assert.deepEqual((await t.log.fetchPositions('auto', 'pinterest.pin')).get(0), '2');
  });

  it('seeks to the beginning', async () => {
    await call('POST', '/consumers/seek', { name: 's', 'auto.offset.reset': 'latest' });
    await call('POST', '/consumers/seek/instances/s/subscription', { topics: ['pinterest.pin'] });
    assert.deepEqual((await call('GET', '/consumers/seek/instances/s/records?timeout=0')).json(), []);
    assert.equal(
      (await call('POST', '/consumers/seek/instances/s/positions/beginning', { partitions: [{ topic: 'pinterest.pin', partition: 0 }] })).statusCode,
      204,
    );
    assert.equal((await call('GET', '/consumers/seek/instances/s/records')).json().length, 3);
  });

  it('reports its errors with the proxy codes', async () => {
    await call('POST', '/consumers/errs', { name: 'dup' });
    assert.equal((await call('POST', '/consumers/errs', { name: 'dup' })).json().error_code, 40902);
    assert.equal((await call('GET', '/consumers/errs/instances/dup/records')).json().error_code, 40903);
    assert.equal((await call('POST', '/consumers/errs/instances/dup/subscription', { topics: ['nope'] })).json().error_code, 40401);
    assert.equal((await call('POST', '/consumers/errs/instances/dup/subscription', { topics: ['..'] })).json().error_code, 42205);
    assert.equal((await call('POST', '/consumers/errs', { format: 'avro' })).json().error_code, 42201);
    assert.equal((await call('GET', '/consumers/errs/instances/ghost/subscription')).json().error_code, 40403);
  });
});
