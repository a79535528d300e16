import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makeApp, type TestApp } from '../../helpers/app.js';
import { readShard, unb64 } from './kinesis-helpers.js';

const pin = { index: 7528, unique_id: 'fbe53c66-3442-4773-b19e-d3ec6f54dddf', title: 'Ünïcødé ✨ “quotes” | {braces}…\u00a0', follower_count: '51k' };

describe('API-Gateway stream routes', () => {
  let t: TestApp;
  before(async () => {
    t = await makeApp({ prefix: '0a1b2c3d4e5f' });
  });
  after(async () => t.close());
  const send = (method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, body?: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({
      method,
      url,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
    });

  it('PUT /streams/{stream}/record stores the JSON text of Data under the partition key', async () => {
    const stream = 'streaming-0a1b2c3d4e5f-pin';
    const r = await send('PUT', `/streams/${stream}/record`, { StreamName: stream, Data: pin, PartitionKey: 'partition-1' });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
    const body = r.json();
    assert.deepEqual(Object.keys(body), ['SequenceNumber', 'ShardId']);
    assert.equal(body.ShardId, 'shardId-000000000000');
    assert.match(body.SequenceNumber, /^49\d{54}$/);
    const r2 = await send('PUT', `/streams/${stream}/record`, { StreamName: stream, Data: [1, 'two', null], PartitionKey: 'partition-2' });
    assert.ok(r2.json().SequenceNumber > body.SequenceNumber, 'increasing');
    const stored: string[] = [];
    for await (const b of t.log.read(stream, 0, { kind: 'earliest' }, { follow: false })) stored.push(...b.map((x) => `${x.key}|${x.value}`));
    assert.deepEqual(stored, [`partition-1|${JSON.stringify(pin)}`, 'partition-2|[1,"two",null]']);
    const viaKinesis = await readShard(t.app, stream);
    assert.deepEqual(
      viaKinesis.map((x) => JSON.parse(unb64(x.Data))),
      [pin, [1, 'two', null]],
    );
  });

  it('PUT /streams/{stream}/records answers in the PutRecords shape', async () => {
    const stream = 'streaming-0a1b2c3d4e5f-geo';
    const records = [
      { data: { ind: 1, country: "Cote d'Ivoire" }, 'partition-key': 'a' },
      { data: 'plain string', 'partition-key': 'b' },
    ];
    const r = await send('PUT', `/streams/${stream}/records`, { records });
    assert.equal(r.statusCode, 200, r.body);
    const body = r.json();
    assert.equal(body.FailedRecordCount, 0);
    assert.equal(body.Records.length, 2);
    for (const rec of body.Records) assert.deepEqual(Object.keys(rec).sort(), ['SequenceNumber', 'ShardId']);
    assert.deepEqual(
      (await readShard(t.app, stream)).map((x) => [x.PartitionKey, unb64(x.Data)]),
      [
        ['a', JSON.stringify(records[0].data)],
        ['b', '"plain string"'],
      ],
    );
  });

  it('creates, lists, describes and deletes streams', async () => {
    assert.deepEqual([(await send('POST', '/streams/made', { ShardCount: 3 })).statusCode], [200]);
    assert.equal((await send('POST', '/streams/made-default')).statusCode, 200, 'no body: one shard');
    const list = await send('GET', '/streams');
    assert.equal(list.statusCode, 200);
    assert.deepEqual(list.json(), { StreamNames: ['made', 'made-default', 'streaming-0a1b2c3d4e5f-geo', 'streaming-0a1b2c3d4e5f-pin'], HasMoreStreams: false });
    const d = await send('GET', '/streams/made');
    assert.equal(d.statusCode, 200);
    assert.equal(d.json().StreamDescription.Shards.length, 3);
    assert.equal(d.json().StreamDescription.StreamStatus, 'ACTIVE');
    assert.equal((await send('GET', '/streams/made-default')).json().StreamDescription.Shards.length, 1);
    const again = await send('POST', '/streams/made', { ShardCount: 1 });
    assert.deepEqual([again.statusCode, again.json().__type], [400, 'ResourceInUseException']);
    assert.equal((await send('DELETE', '/streams/made')).statusCode, 200);
    const gone = await send('GET', '/streams/made');
    assert.deepEqual([gone.statusCode, gone.json().__type], [400, 'ResourceNotFoundException']);
    const twice = await send('DELETE', '/streams/made');
    assert.deepEqual([twice.statusCode, twice.json().__type], [400, 'ResourceNotFoundException']);
  });

  it('answers bad requests in the Kinesis error shape, never the proxy shape', async () => {
    await send('POST', '/streams/errs');
    const cases: [string, 'PUT' | 'POST' | 'GET', string, unknown, string][] = [
      ['no partition key', 'PUT', '/streams/errs/record', { Data: 1 }, 'ValidationException'],
      ['long partition key', 'PUT', '/streams/errs/record', { Data: 1, PartitionKey: 'k'.repeat(257) }, 'ValidationException'],
      ['no Data', 'PUT', '/streams/errs/record', { PartitionKey: 'k' }, 'ValidationException'],
      ['Data too large', 'PUT', '/streams/errs/record', { Data: 'x'.repeat(1024 * 1024), PartitionKey: 'k' }, 'ValidationException'],
      ['no records', 'PUT', '/streams/errs/records', { records: [] }, 'ValidationException'],
      ['records not an array', 'PUT', '/streams/errs/records', { Records: [] }, 'ValidationException'],
      [
        'too many records',
        'PUT',
        '/streams/errs/records',
        { records: Array.from({ length: 501 }, () => ({ data: 1, 'partition-key': 'k' })) },
        'ValidationException',
      ],
      ['bad record', 'PUT', '/streams/errs/records', { records: [{ data: 1, 'partition-key': 'k' }, { data: 2 }] }, 'ValidationException'],
      ['bad stream name', 'PUT', '/streams/bad%24name/record', { Data: 1, PartitionKey: 'k' }, 'ValidationException'],
      ['long stream name', 'POST', `/streams/${'s'.repeat(129)}`, { ShardCount: 1 }, 'ValidationException'],
      ['bad shard count', 'POST', '/streams/zero', { ShardCount: 0 }, 'ValidationException'],
      ['malformed JSON', 'PUT', '/streams/errs/record', '{"Data":', 'SerializationException'],
    ];
    for (const [what, method, url, body, type] of cases) {
      const r = await send(method, url, body);
      assert.equal(r.statusCode, 400, `${what}: ${r.body.slice(0, 200)}`);
      assert.deepEqual(Object.keys(r.json()).sort(), ['__type', 'message'], what);
      assert.equal(r.json().__type, type, `${what}: ${r.json().message}`);
    }
    const wrongType = await t.app.inject({ method: 'PUT', url: '/streams/errs/record', headers: { 'content-type': 'text/plain' }, payload: 'x' });
    assert.deepEqual([wrongType.statusCode, wrongType.json().__type], [400, 'SerializationException']);
    assert.equal((await readShard(t.app, 'errs')).length, 0);
  });

  it('creates a missing stream on PUT while api.autoCreateTopics is on', async () => {
    const r = await send('PUT', '/streams/fresh-stream/record', { Data: { a: 1 }, PartitionKey: 'k' });
    assert.equal(r.statusCode, 200);
    assert.equal((await t.log.describeTopic('fresh-stream'))?.partitions, 1);
  });
});

describe('API-Gateway stream routes without auto-creation', () => {
  it('answer ResourceNotFoundException for a missing stream', async () => {
    const t = await makeApp({ api: { autoCreateTopics: false } });
    try {
      const one = await t.app.inject({
        method: 'PUT',
        url: '/streams/nope/record',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ Data: 1, PartitionKey: 'k' }),
      });
      assert.deepEqual([one.statusCode, one.json().__type], [400, 'ResourceNotFoundException']);
      const many = await t.app.inject({
        method: 'PUT',
        url: '/streams/nope/records',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ records: [{ data: 1, 'partition-key': 'k' }] }),
      });
      assert.deepEqual([many.statusCode, many.json().__type], [400, 'ResourceNotFoundException']);
      assert.equal(await t.log.describeTopic('nope'), undefined);
    } finally {
      await t.close();
    }
  });
});
