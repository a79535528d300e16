import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateStreamCommand,
  DeleteStreamCommand,
  DescribeStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  KinesisServiceException,
  ListShardsCommand,
  ListStreamsCommand,
  PutRecordCommand,
  PutRecordsCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  waitUntilStreamExists,
} from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { makeApp, type TestApp } from '../../helpers/app.js';

const KEY = 'AKIAPINPIPEJSSDK0001';
const text = (b: Uint8Array | undefined) => Buffer.from(b ?? []).toString('utf8');

/** The AWS JS SDK v3 pointed at our URL: HTTP/1.1 handler, dummy credentials, no retries (errors surface at once). */
/** A client signing with `secretAccessKey` (pinpipe verifies SigV4 with an API key as the secret; the access key id is not checked). */
function client(endpoint: string, secretAccessKey = KEY, accessKeyId = 'pinpipe'): KinesisClient {
  return new KinesisClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId, secretAccessKey },
    requestHandler: new NodeHttpHandler(),
    maxAttempts: 1,
  });
}

describe('the AWS JS SDK v3 (@aws-sdk/client-kinesis) against a listening pinpipe', () => {
  let t: TestApp;
  let url: string;
  let kinesis: KinesisClient;
  const contentTypes = new Set<string>();
  before(async () => {
    t = await makeApp({ api: { apiKeys: [KEY] } });
    url = await t.app.listen({ port: 0, host: '127.0.0.1' });
    kinesis = client(url);
    kinesis.middlewareStack.add(
      (next) => async (args) => {
        contentTypes.add(String((args.request as { headers: Record<string, string> }).headers['content-type']));
        return next(args);
      },
      { step: 'finalizeRequest', name: 'recordContentType' },
    );
  });
  after(async () => {
    kinesis.destroy();
    await t.close();
  });

  it('creates a stream, puts records and reads them back shard by shard', async () => {
    await kinesis.send(new CreateStreamCommand({ StreamName: 'js-sdk', ShardCount: 2 }));
    await waitUntilStreamExists({ client: kinesis, maxWaitTime: 10, minDelay: 1 }, { StreamName: 'js-sdk' });
    const one = await kinesis.send(new PutRecordCommand({ StreamName: 'js-sdk', PartitionKey: 'first', Data: Buffer.from('{"n":0,"s":"ü✨"}') }));
    assert.match(one.SequenceNumber ?? '', /^49\d{54}$/);
    const many = await kinesis.send(
      new PutRecordsCommand({
        StreamName: 'js-sdk',
        Records: Array.from({ length: 20 }, (_, i) => ({ PartitionKey: `key-${i}`, Data: new TextEncoder().encode(`{"n":${i + 1}}`) })),
      }),
    );
    assert.equal(many.FailedRecordCount, 0);
    assert.equal(many.Records?.length, 20);

    const shards = (await kinesis.send(new ListShardsCommand({ StreamName: 'js-sdk' }))).Shards ?? [];
    assert.deepEqual(
      shards.map((s) => s.ShardId),
      ['shardId-000000000000', 'shardId-000000000001'],
    );
    const described = await kinesis.send(new DescribeStreamCommand({ StreamName: 'js-sdk' }));
    assert.equal(described.StreamDescription?.StreamStatus, 'ACTIVE');
    assert.ok(described.StreamDescription?.StreamCreationTimestamp instanceof Date);

    const got: { seq: string; key: string; text: string; at: Date | undefined }[] = [];
    for (const s of shards) {
      const it = await kinesis.send(new GetShardIteratorCommand({ StreamName: 'js-sdk', ShardId: s.ShardId, ShardIteratorType: 'TRIM_HORIZON' }));
      const r = await kinesis.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator, Limit: 100 }));
      assert.equal(r.MillisBehindLatest, 0);
      assert.ok(r.NextShardIterator);
      for (const rec of r.Records ?? [])
        got.push({ seq: rec.SequenceNumber!, key: rec.PartitionKey!, text: text(rec.Data), at: rec.ApproximateArrivalTimestamp });
    }
    assert.equal(got.length, 21);
    assert.ok(got.every((g) => g.at instanceof Date && Math.abs(g.at.getTime() - Date.now()) < 60_000));
    const byKey = new Map(got.map((g) => [g.key, g]));
    assert.equal(byKey.get('first')?.text, '{"n":0,"s":"ü✨"}');
    assert.equal(byKey.get('first')?.seq, one.SequenceNumber);
    many.Records!.forEach((r, i) => {
      assert.equal(byKey.get(`key-${i}`)?.seq, r.SequenceNumber);
      assert.equal(byKey.get(`key-${i}`)?.text, `{"n":${i + 1}}`);
    });

    const after = await kinesis.send(
      new GetShardIteratorCommand({
        StreamName: 'js-sdk',
        ShardId: 'shardId-000000000000',
        ShardIteratorType: 'AT_TIMESTAMP',
        Timestamp: new Date(Date.now() + 60_000),
      }),
    );
    assert.deepEqual((await kinesis.send(new GetRecordsCommand({ ShardIterator: after.ShardIterator }))).Records, []);
    const arn = (await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: 'js-sdk' }))).StreamDescriptionSummary?.StreamARN;
    assert.equal(arn, 'arn:aws:kinesis:us-east-1:000000000000:stream/js-sdk');
    const byArn = await kinesis.send(new PutRecordCommand({ StreamARN: arn, PartitionKey: 'by-arn', Data: Buffer.from('arn') }));
    assert.match(byArn.SequenceNumber ?? '', /^49\d{54}$/, 'the SDK keeps our endpoint for StreamARN requests');
    assert.ok((await kinesis.send(new ListStreamsCommand({}))).StreamNames?.includes('js-sdk'));
    assert.deepEqual([...contentTypes], ['application/x-amz-json-1.1'], 'the SDK speaks AWS JSON 1.1, not CBOR');
  });

  it('surfaces our errors as the SDK exception classes', async () => {
    await assert.rejects(
      kinesis.send(new DescribeStreamCommand({ StreamName: 'js-missing' })),
      (e) => e instanceof ResourceNotFoundException && /js-missing/.test(e.message),
    );
    await kinesis.send(new CreateStreamCommand({ StreamName: 'js-twice' }));
    await assert.rejects(kinesis.send(new CreateStreamCommand({ StreamName: 'js-twice' })), ResourceInUseException);
    await kinesis.send(new DeleteStreamCommand({ StreamName: 'js-twice' }));
    await assert.rejects(
      kinesis.send(new GetRecordsCommand({ ShardIterator: 'bm90LWFuLWl0ZXJhdG9y' })),
      (e) => e instanceof KinesisServiceException && e.name === 'InvalidArgumentException',
    );
    const stranger = client(url, 'not-the-key', KEY); // an API key as access key id is not enough
    try {
      await assert.rejects(
        stranger.send(new ListStreamsCommand({})),
        (e) => e instanceof KinesisServiceException && e.name === 'InvalidSignatureException' && e.$metadata.httpStatusCode === 400,
      );
    } finally {
      stranger.destroy();
    }
  });
});
