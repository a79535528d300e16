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
});
