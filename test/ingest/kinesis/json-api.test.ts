import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hashKeyRange, partitionKeyHash } from '../../../src/ingest/kinesis/index.js';
import { makeApp, type TestApp } from '../../helpers/app.js';
import { AMZ_JSON, b64, kinesis, readShard, unb64 } from './kinesis-helpers.js';

describe('Kinesis API (AWS JSON 1.1)', () => {
  let t: TestApp;
  before(async () => {
    t = await makeApp();
  });
  after(async () => t.close());
  const call = (op: string, input: unknown = {}, headers: Record<string, string> = {}) => kinesis(t.app, op, input, headers);

  it('creates, describes, lists and deletes streams', async () => {
    assert.deepEqual(await call('CreateStream', { StreamName: 'orders', ShardCount: 2 }).then((r) => [r.status, r.body]), [200, {}]);
    const c = await call('CreateStream', { StreamName: 'single' });
    assert.equal(c.status, 200);
    assert.equal(c.headers['content-type'], `${AMZ_JSON}; charset=utf-8`);

    const d = await call(
      'DescribeStream',
      { StreamName: 'orders' },
      { authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20240101/eu-west-1/kinesis/aws4_request, SignedHeaders=host, Signature=x' },
    );
    assert.equal(d.status, 200);
    const sd = d.body.StreamDescription;
    assert.equal(sd.StreamName, 'orders');
    assert.equal(sd.StreamARN, 'arn:aws:kinesis:eu-west-1:000000000000:stream/orders', 'region from the SigV4 scope');
    assert.equal(sd.StreamStatus, 'ACTIVE');
    assert.equal(sd.HasMoreShards, false);
    assert.equal(typeof sd.StreamCreationTimestamp, 'number');
    assert.deepEqual(
      sd.Shards.map((s: { ShardId: string }) => s.ShardId),
      ['shardId-000000000000', 'shardId-000000000001'],
    );
    assert.deepEqual(sd.Shards[1].HashKeyRange, hashKeyRange(1, 2));
    assert.match(sd.Shards[0].SequenceNumberRange.StartingSequenceNumber, /^49\d{54}$/);

    const page = await call('DescribeStream', { StreamName: 'orders', Limit: 1 });
    assert.deepEqual([page.body.StreamDescription.Shards.length, page.body.StreamDescription.HasMoreShards], [1, true]);
    const rest = await call('DescribeStream', { StreamName: 'orders', ExclusiveStartShardId: 'shardId-000000000000' });
    assert.deepEqual(
      rest.body.StreamDescription.Shards.map((s: { ShardId: string }) => s.ShardId),
      ['shardId-000000000001'],
    );

    const sum = await call('DescribeStreamSummary', { StreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/single' });
    assert.equal(sum.status, 200);
    assert.equal(sum.body.StreamDescriptionSummary.OpenShardCount, 1);
    assert.equal(sum.body.StreamDescriptionSummary.StreamName, 'single');

    const l = await call('ListStreams', {});
    assert.deepEqual(l.body.StreamNames, ['orders', 'single']);
    assert.equal(l.body.HasMoreStreams, false);
    assert.equal(l.body.StreamSummaries[0].StreamARN, 'arn:aws:kinesis:us-east-1:000000000000:stream/orders');
    const l1 = await call('ListStreams', { Limit: 1 });
    assert.deepEqual([l1.body.StreamNames, l1.body.HasMoreStreams], [['orders'], true]);
    const l2 = await call('ListStreams', { NextToken: l1.body.NextToken });
    assert.deepEqual([l2.body.StreamNames, l2.body.HasMoreStreams], [['single'], false]);
    assert.deepEqual((await call('ListStreams', { ExclusiveStartStreamName: 'orders' })).body.StreamNames, ['single']);

    assert.deepEqual(await call('DeleteStream', { StreamName: 'single' }).then((r) => [r.status, r.body]), [200, {}]);
    assert.deepEqual((await call('ListStreams')).body.StreamNames, ['orders']);
    await call('DeleteStream', { StreamName: 'orders' });
  });

  it('lists shards with paging', async () => {
    await call('CreateStream', { StreamName: 'five', ShardCount: 5 });
    const all = await call('ListShards', { StreamName: 'five' });
    assert.equal(all.status, 200);
    assert.equal(all.body.Shards.length, 5);
    assert.equal(all.body.NextToken, undefined);
    const p1 = await call('ListShards', { StreamName: 'five', MaxResults: 2 });
    const p2 = await call('ListShards', { NextToken: p1.body.NextToken, MaxResults: 2 });
    const p3 = await call('ListShards', { NextToken: p2.body.NextToken, MaxResults: 2 });
    assert.deepEqual([...p1.body.Shards, ...p2.body.Shards, ...p3.body.Shards], all.body.Shards);
    assert.equal(p3.body.NextToken, undefined);
    const after3 = await call('ListShards', { StreamName: 'five', ExclusiveStartShardId: 'shardId-000000000003' });
    assert.deepEqual(
      after3.body.Shards.map((s: { ShardId: string }) => s.ShardId),
      ['shardId-000000000004'],
    );
    const both = await call('ListShards', { StreamName: 'five', NextToken: p1.body.NextToken });
    assert.deepEqual([both.status, both.body.__type], [400, 'InvalidArgumentException']);
  });

  it('puts records, routing each partition key by MD5 to the shard whose range holds it', async () => {
    await call('CreateStream', { StreamName: 'routed', ShardCount: 4 });
    const shards = (await call('DescribeStream', { StreamName: 'routed' })).body.StreamDescription.Shards as {
      ShardId: string;
      HashKeyRange: { StartingHashKey: string; EndingHashKey: string };
    }[];
    const keys = Array.from({ length: 60 }, (_, i) => `user-${i}`);
    const put = await call('PutRecords', { StreamName: 'routed', Records: keys.map((k) => ({ PartitionKey: k, Data: b64(`{"k":"${k}"}`) })) });
    assert.equal(put.status, 200);
    assert.equal(put.body.FailedRecordCount, 0);
    const used = new Set<string>();
    put.body.Records.forEach((r: { ShardId: string; SequenceNumber: string }, i: number) => {
      const h = partitionKeyHash(keys[i]);
      const owner = shards.find((s) => BigInt(s.HashKeyRange.StartingHashKey) <= h && h <= BigInt(s.HashKeyRange.EndingHashKey))!;
      assert.equal(r.ShardId, owner.ShardId, keys[i]);
      used.add(r.ShardId);
    });
    assert.equal(used.size, 4, 'sixty keys reach every shard');
    for (const s of shards) {
      const got = await readShard(t.app, 'routed', s.ShardId);
      const expected = keys.filter((_, i) => put.body.Records[i].ShardId === s.ShardId);
      assert.deepEqual(
        got.map((r) => r.PartitionKey),
        expected,
        'each shard holds its keys, in order',
      );
      assert.deepEqual(
        got.map((r) => unb64(r.Data)),
        expected.map((k) => `{"k":"${k}"}`),
      );
      const seqs = got.map((r) => r.SequenceNumber);
      assert.deepEqual(seqs, [...seqs].sort(), 'increasing within the shard');
      assert.deepEqual(
        seqs,
        put.body.Records.filter((r: { ShardId: string }) => r.ShardId === s.ShardId).map((r: { SequenceNumber: string }) => r.SequenceNumber),
      );
    }
    // An ExplicitHashKey overrides the partition key.
    const top = await call('PutRecord', {
      StreamName: 'routed',
      PartitionKey: 'user-0',
      Data: b64('x'),
      ExplicitHashKey: shards[3].HashKeyRange.StartingHashKey,
    });
    assert.equal(top.body.ShardId, 'shardId-000000000003');
    const zero = await call('PutRecord', {
      StreamName: 'routed',
      PartitionKey: 'whatever',
      Data: b64('y'),
      ExplicitHashKey: '0',
      SequenceNumberForOrdering: top.body.SequenceNumber,
    });
    assert.equal(zero.body.ShardId, 'shardId-000000000000');
    assert.equal(zero.body.EncryptionType, 'NONE');
    const big = await call('PutRecord', { StreamName: 'routed', PartitionKey: 'k', Data: b64('z'), ExplicitHashKey: (1n << 128n).toString() });
    assert.deepEqual([big.status, big.body.__type], [400, 'InvalidArgumentException']);
  });

  it('stores the decoded Data as text and returns it base64 with arrival time and key', async () => {
    await call('CreateStream', { StreamName: 'text' });
    const text = '{"title":"Ünïcødé ✨ “quotes”","n":1}';
    const before = Date.now();
    const r = await call('PutRecord', { StreamName: 'text', PartitionKey: 'ü', Data: b64(text) });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.ShardId, 'shardId-000000000000');
    const [rec] = await readShard(t.app, 'text');
    assert.equal(unb64(rec.Data), text);
    assert.equal(rec.PartitionKey, 'ü');
    assert.equal(rec.SequenceNumber, r.body.SequenceNumber);
    assert.ok(rec.ApproximateArrivalTimestamp * 1000 >= before - 5 && rec.ApproximateArrivalTimestamp * 1000 <= Date.now() + 5, 'epoch seconds');
    const stored: string[] = [];
    for await (const b of t.log.read('text', 0, { kind: 'earliest' }, { follow: false })) stored.push(...b.map((x) => `${x.key}|${x.value}`));
    assert.deepEqual(stored, [`ü|${text}`]);
  });

  it('fails only the records whose Data is not UTF-8 (PutRecords), the whole call for PutRecord', async () => {
    await call('CreateStream', { StreamName: 'partial' });
    const bad = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString('base64');
    const r = await call('PutRecords', {
      StreamName: 'partial',
      Records: [
        { PartitionKey: 'a', Data: b64('one') },
        { PartitionKey: 'b', Data: bad },
        { PartitionKey: 'c', Data: b64('three') },
      ],
    });
    assert.equal(r.status, 200);
    assert.equal(r.body.FailedRecordCount, 1);
    assert.ok(r.body.Records[0].SequenceNumber && r.body.Records[2].SequenceNumber);
    assert.equal(r.body.Records[1].ErrorCode, 'InvalidArgumentException');
    assert.match(r.body.Records[1].ErrorMessage, /not valid UTF-8/);
    assert.equal(r.body.Records[1].SequenceNumber, undefined);
    assert.deepEqual(
      (await readShard(t.app, 'partial')).map((x) => unb64(x.Data)),
      ['one', 'three'],
    );
    const one = await call('PutRecord', { StreamName: 'partial', PartitionKey: 'a', Data: bad });
    assert.deepEqual([one.status, one.body.__type], [400, 'InvalidArgumentException']);
    assert.match(one.body.message, /UTF-8/);
  });

  it('validates names, keys, sizes and counts like Kinesis', async () => {
    await call('CreateStream', { StreamName: 'limits' });
    const cases: [string, unknown, string][] = [
      ['CreateStream', { StreamName: 'bad/name' }, 'ValidationException'],
      ['CreateStream', { StreamName: 'x'.repeat(129) }, 'ValidationException'],
      ['CreateStream', { StreamName: '..' }, 'ValidationException'],
      ['CreateStream', { StreamName: 'zero', ShardCount: 0 }, 'ValidationException'],
      ['CreateStream', { StreamName: 'many', ShardCount: 5000 }, 'LimitExceededException'],
      ['CreateStream', { StreamName: 'limits' }, 'ResourceInUseException'],
      ['DescribeStream', {}, 'InvalidArgumentException'],
      ['DescribeStream', { StreamName: 'missing' }, 'ResourceNotFoundException'],
      ['DeleteStream', { StreamName: 'missing' }, 'ResourceNotFoundException'],
      ['DescribeStream', { StreamName: 'limits', StreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/other' }, 'InvalidArgumentException'],
      ['PutRecord', { StreamName: 'missing', PartitionKey: 'k', Data: b64('x') }, 'ResourceNotFoundException'],
      ['PutRecord', { StreamName: 'limits', PartitionKey: '', Data: b64('x') }, 'ValidationException'],
      ['PutRecord', { StreamName: 'limits', PartitionKey: 'k'.repeat(257), Data: b64('x') }, 'ValidationException'],
      ['PutRecord', { StreamName: 'limits', Data: b64('x') }, 'ValidationException'],
      ['PutRecord', { StreamName: 'limits', PartitionKey: 'k' }, 'ValidationException'],
      ['PutRecord', { StreamName: 'limits', PartitionKey: 'k', Data: 'not base64!' }, 'SerializationException'],
      ['PutRecord', { StreamName: 'limits', PartitionKey: 'k', Data: Buffer.alloc(1024 * 1024 + 1, 97).toString('base64') }, 'ValidationException'],
      ['PutRecords', { StreamName: 'limits', Records: [] }, 'ValidationException'],
      ['PutRecords', { StreamName: 'limits' }, 'ValidationException'],
      ['PutRecords', { StreamName: 'limits', Records: Array.from({ length: 501 }, () => ({ PartitionKey: 'k', Data: '' })) }, 'ValidationException'],
      [
        'PutRecords',
        { StreamName: 'limits', Records: Array.from({ length: 6 }, () => ({ PartitionKey: 'k', Data: Buffer.alloc(1024 * 1024, 97).toString('base64') })) },
        'InvalidArgumentException',
      ],
      [
        'PutRecords',
        {
          StreamName: 'limits',
          Records: [
            { PartitionKey: 'k', Data: b64('ok') },
            { PartitionKey: '', Data: b64('x') },
          ],
        },
        'ValidationException',
      ],
      ['GetShardIterator', { StreamName: 'limits', ShardId: 'shardId-000000000001', ShardIteratorType: 'LATEST' }, 'ResourceNotFoundException'],
      ['GetShardIterator', { StreamName: 'limits', ShardId: 'shardId-000000000000', ShardIteratorType: 'SOMEWHERE' }, 'ValidationException'],
      ['GetShardIterator', { StreamName: 'limits', ShardId: 'shardId-000000000000', ShardIteratorType: 'AT_SEQUENCE_NUMBER' }, 'InvalidArgumentException'],
      [
        'GetShardIterator',
        { StreamName: 'limits', ShardId: 'shardId-000000000000', ShardIteratorType: 'AT_SEQUENCE_NUMBER', StartingSequenceNumber: '123' },
        'InvalidArgumentException',
      ],
      ['GetShardIterator', { StreamName: 'limits', ShardId: 'shardId-000000000000', ShardIteratorType: 'AT_TIMESTAMP' }, 'InvalidArgumentException'],
      ['GetRecords', { ShardIterator: 'garbage' }, 'InvalidArgumentException'],
      ['GetRecords', {}, 'ValidationException'],
      ['GetRecords', { ShardIterator: 'x', Limit: 10_001 }, 'ValidationException'],
      ['SplitShard', { StreamName: 'limits' }, 'InvalidArgumentException'],
      ['MergeShards', { StreamName: 'limits' }, 'InvalidArgumentException'],
      ['UpdateShardCount', { StreamName: 'limits', TargetShardCount: 2 }, 'InvalidArgumentException'],
      ['AddTagsToStream', { StreamName: 'limits' }, 'UnknownOperationException'],
      ['toString', {}, 'UnknownOperationException'],
    ];
    for (const [op, input, type] of cases) {
      const r = await call(op, input);
      assert.equal(r.status, 400, `${op} ${JSON.stringify(input).slice(0, 120)}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.__type, type, `${op} ${JSON.stringify(input).slice(0, 120)}: ${r.body.message}`);
      assert.equal(r.headers['x-amzn-errortype'], type);
      assert.equal(typeof r.body.message, 'string');
      assert.deepEqual(Object.keys(r.body).sort(), ['__type', 'message']);
    }
    assert.equal((await readShard(t.app, 'limits')).length, 0, 'no failed request stored anything');
    const resharding = await call('UpdateShardCount', { StreamName: 'limits', TargetShardCount: 2 });
    assert.match(resharding.body.message, /resharding is not supported/);
  });

  it('answers protocol errors in the Kinesis shape', async () => {
    const noTarget = await t.app.inject({ method: 'POST', url: '/', headers: { 'content-type': AMZ_JSON }, payload: '{}' });
    assert.deepEqual([noTarget.statusCode, noTarget.json().__type], [400, 'UnknownOperationException']);
    const wrongService = await kinesis(t.app, 'x', {}, { 'x-amz-target': 'DynamoDB_20120810.ListTables' });
    assert.deepEqual([wrongService.status, wrongService.body.__type], [400, 'UnknownOperationException']);
    const badJson = await kinesis(t.app, 'ListStreams', '{"Limit":');
    assert.deepEqual([badJson.status, badJson.body.__type], [400, 'SerializationException']);
    const notObject = await kinesis(t.app, 'ListStreams', '[1]');
    assert.deepEqual([notObject.status, notObject.body.__type], [400, 'SerializationException']);
    const empty = await t.app.inject({ method: 'POST', url: '/', headers: { 'content-type': AMZ_JSON, 'x-amz-target': 'Kinesis_20131202.ListStreams' } });
    assert.equal(empty.statusCode, 200, 'an empty body is {}');
    const cbor = await t.app.inject({
      method: 'POST',
      url: '/',
      headers: { 'content-type': 'application/x-amz-cbor-1.1', 'x-amz-target': 'Kinesis_20131202.ListStreams' },
      payload: Buffer.from([0xa0]),
    });
    assert.equal(cbor.statusCode, 400);
    assert.equal(cbor.json().__type, 'SerializationException');
    assert.match(cbor.json().message, /CBOR is not supported/);
  });

  it('counts records in and rejected', async () => {
    await call('CreateStream', { StreamName: 'counted' });
    await call('PutRecords', {
      StreamName: 'counted',
      Records: [
        { PartitionKey: 'a', Data: b64('1') },
        { PartitionKey: 'b', Data: Buffer.from([0xc3]).toString('base64') },
      ],
    });
    const text = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    assert.match(text, /pinpipe_ingest_stream_records_total\{stream="counted"\} 1/);
    assert.match(text, /pinpipe_ingest_stream_rejected_records_total\{type="InvalidArgumentException"\} \d+/);
    assert.match(text, /pinpipe_ingest_kinesis_requests_total\{operation="PutRecords"\} \d+/);
  });
});
