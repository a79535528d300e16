import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { KAFKA_JSON, makeApp, type TestApp } from '../helpers/app.js';
import { kinesis } from './kinesis/kinesis-helpers.js';

/** Values JSON.parse accepts but cannot be stored as sent, and requests the router cannot take apart: clean 4xx in each API's shape. */
describe('bad values and URLs', () => {
  let t: TestApp;
  before(async () => {
    t = await makeApp();
  });
  after(async () => t.close());
  const produce = (topic: string, body: string) =>
    t.app.inject({ method: 'POST', url: `/topics/${topic}`, headers: { 'content-type': KAFKA_JSON }, payload: body });

  it('produce: 1e400 and lone surrogates are refused per record (42202), never stored as null or as text no reader takes', async () => {
    const res = await produce(
      'vals',
      '{"records":[{"value":{"a":1}},{"value":{"a":1e400}},{"value": [-1E+999]},{"value":"\\ud800"},{"value":{"\\udc00":1}},{"key":"\\ud800x","value":2},{"value":"\\ud83d\\ude00"}]}',
    );
    assert.equal(res.statusCode, 200, res.body);
    const offsets = res.json().offsets as { offset: number | null; error_code: number | null; error: string | null }[];
    assert.deepEqual(
      offsets.map((o) => o.error_code),
      [null, 42202, 42202, 42202, 42202, 42202, null],
    );
    assert.match(offsets[1].error!, /out of the range of a 64-bit float/);
    assert.match(offsets[3].error!, /lone UTF-16 surrogate/);
    const stored: string[] = [];
    for await (const b of t.log.read('vals', 0, { kind: 'earliest' }, { follow: false })) stored.push(...b.map((r) => r.value));
    assert.deepEqual(stored, ['{"a":1}', '"\\ud83d\\ude00"']);
  });

  it('gateway and Kinesis API: such values are a 400 SerializationException, nothing stored', async () => {
    for (const body of ['{"PartitionKey":"k","Data":{"n":1e400}}', '{"PartitionKey":"k","Data":"\\udfff"}']) {
      const res = await t.app.inject({ method: 'PUT', url: '/streams/vals-s/record', headers: { 'content-type': 'application/json' }, payload: body });
      assert.deepEqual([res.statusCode, res.json().__type], [400, 'SerializationException'], res.body);
    }
    const k = await kinesis(t.app, 'PutRecord', '{"StreamName":"vals-s","PartitionKey":"\\ud800","Data":"eA=="}');
    assert.deepEqual([k.status, k.body.__type], [400, 'SerializationException']);
    assert.equal(await t.log.describeTopic('vals-s'), undefined);
  });

  it('consumers: a seek to a negative offset or a missing partition or topic is refused, and fetching still works', async () => {
    await produce('seekt', '{"records":[{"value":1},{"value":2}]}');
    const call = (method: 'POST' | 'GET', url: string, body?: unknown) =>
      t.app.inject({
        method,
        url,
        headers: { 'content-type': 'application/vnd.kafka.v2+json' },
        payload: body === undefined ? undefined : JSON.stringify(body),
      });
    await call('POST', '/consumers/sg', { name: 's1', 'auto.offset.reset': 'earliest' });
    await call('POST', '/consumers/sg/instances/s1/subscription', { topics: ['seekt'] });
    for (const [offsets, code] of [
      [[{ topic: 'seekt', partition: 0, offset: -100 }], 42206],
      [[{ topic: 'seekt', partition: 99, offset: 0 }], 40402],
      [[{ topic: 'seekt', partition: -1, offset: 0 }], 40402],
      [[{ topic: 'nope', partition: 0, offset: 0 }], 40401],
      [[{ topic: 'seekt', partition: 0, offset: 1.5 }], 42201],
    ] as const) {
      const res = await call('POST', '/consumers/sg/instances/s1/positions', { offsets });
      assert.equal(res.json().error_code, code, `${JSON.stringify(offsets)}: ${res.body}`);
    }
    const beginning = await call('POST', '/consumers/sg/instances/s1/positions/beginning', { partitions: [{ topic: 'seekt', partition: 7 }] });
    assert.equal(beginning.json().error_code, 40402);
    const fetched = await call('GET', '/consumers/sg/instances/s1/records?timeout=0');
    assert.equal(fetched.statusCode, 200, fetched.body);
    assert.deepEqual(
      fetched.json().map((r: { value: number }) => r.value),
      [1, 2],
    );
  });

  it('a topic_pattern that backtracks catastrophically is refused (422) without stalling other requests', async () => {
    await produce('a'.repeat(33), '{"records":[{"value":1}]}');
    const call = (url: string, body: unknown) =>
      t.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/vnd.kafka.v2+json' }, payload: JSON.stringify(body) });
    await call('/consumers/pg', { name: 'p1' });
    const order: string[] = [];
    const subscribing = call('/consumers/pg/instances/p1/subscription', { topic_pattern: '(a+)+b' }).then((r) => {
      order.push('subscription');
      return r;
    });
    // While the pattern runs (on a worker thread, for up to 2 s), the server still answers.
    const health = await t.app.inject({ url: '/health' });
    order.push('health');
    assert.equal(health.statusCode, 200);
    const res = await subscribing;
    assert.deepEqual(order, ['health', 'subscription']);
    assert.deepEqual([res.statusCode, res.json().error_code], [422, 42201], res.body);
    assert.match(res.json().message, /backtracks catastrophically/);
    const bad = await call('/consumers/pg/instances/p1/subscription', { topic_pattern: '(' });
    assert.deepEqual([bad.statusCode, bad.json().error_code], [422, 42201]);
    const good = await call('/consumers/pg/instances/p1/subscription', { topic_pattern: 'a+' });
    assert.equal(good.statusCode, 204, good.body);
    const sub = await t.app.inject({ url: '/consumers/pg/instances/p1/subscription' });
    assert.deepEqual(sub.json().topics, ['a'.repeat(33)]);
  });

  it('a bad %-escape or an over-long path parameter answers in the API shape of the path', async () => {
    const cases: [string, string, number, Record<string, unknown>][] = [
      ['POST', '/topics/%ZZ', 400, { error_code: 40001 }],
      ['GET', '/consumers/%ZZ/instances/x/records', 400, { error_code: 40001 }],
      ['POST', `/topics/${'a'.repeat(300)}`, 422, { error_code: 42205 }],
      ['GET', `/topics/${'a'.repeat(300)}/partitions`, 422, { error_code: 42205 }],
      ['PUT', '/streams/%ZZ/record', 400, { __type: 'SerializationException' }],
      ['PUT', `/streams/${'s'.repeat(300)}/record`, 400, { __type: 'ValidationException' }],
    ];
    for (const [method, url, status, shape] of cases) {
      const res = await t.app.inject({ method: method as 'GET', url, headers: { 'content-type': 'application/json' }, payload: '{}' });
      assert.equal(res.statusCode, status, `${method} ${url.slice(0, 40)}: ${res.body}`);
      const body = res.json();
      for (const [k, v] of Object.entries(shape)) assert.equal(body[k], v, url.slice(0, 40));
      assert.equal(typeof body.message, 'string');
      assert.deepEqual(Object.keys(body).sort(), Object.keys(shape).concat('message').sort());
    }
  });
});
