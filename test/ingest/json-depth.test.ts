import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { KAFKA_JSON, makeApp, type TestApp } from '../helpers/app.js';
import { AMZ_JSON } from './kinesis/kinesis-helpers.js';

const nest = (n: number): string => '['.repeat(n) + ']'.repeat(n);

/** Nesting depth is limited at parse time on every JSON route: a deep record is never stored, and never answered with a 500. */
describe('JSON nesting limit (api.maxJsonDepth)', () => {
  let t: TestApp;
  before(async () => {
    t = await makeApp({ api: { maxJsonDepth: 100 } });
  });
  after(async () => t.close());
  const send = (method: 'POST' | 'PUT', url: string, payload: string, contentType: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method, url, headers: { 'content-type': contentType, ...headers }, payload });

  it('produce: a deep key or value is refused per record (42202); its siblings land', async () => {
    const res = await send(
      'POST',
      '/topics/deep',
      `{"records":[{"value":1},{"key":${nest(100_000)},"value":2},{"value":${nest(20_000)}},{"value":3}]}`,
      KAFKA_JSON,
    );
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(
      res.json().offsets.map((o: { offset: number | null; error_code: number | null }) => [o.offset, o.error_code]),
      [
        [0, null],
        [null, 42202],
        [null, 42202],
        [1, null],
      ],
    );
    assert.deepEqual(await t.log.offsets('deep', 0), { start: 0, end: 2 });
  });

  it('gateway: Data nested 100,000 deep is a 400 in the Kinesis shape, nothing stored', async () => {
    for (const [url, body] of [
      ['/streams/deep-s/record', `{"StreamName":"deep-s","PartitionKey":"k","Data":${nest(100_000)}}`],
      ['/streams/deep-s/records', `{"records":[{"partition-key":"k","data":${nest(100_000)}}]}`],
    ]) {
      const res = await send('PUT', url, body, 'application/json');
      assert.equal(res.statusCode, 400, res.body.slice(0, 200));
      assert.equal(res.json().__type, 'SerializationException');
      assert.match(res.json().message, /nests deeper than 103 levels/);
    }
    assert.equal(await t.log.describeTopic('deep-s'), undefined);
  });

  it('Kinesis JSON API and consumer bodies: a deep body is a clean 4xx', async () => {
    const k = await send('POST', '/', `{"StreamName":"x","Limit":${nest(100_000)}}`, AMZ_JSON, { 'x-amz-target': 'Kinesis_20131202.DescribeStream' });
    assert.deepEqual([k.statusCode, k.json().__type], [400, 'SerializationException']);
    const c = await send('POST', '/consumers/g', `{"name":${nest(100_000)}}`, 'application/vnd.kafka.v2+json');
    assert.deepEqual([c.statusCode, c.json().error_code], [422, 42201]);
  });
});
