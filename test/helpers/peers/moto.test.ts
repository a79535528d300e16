// The moto peer answers S3 (with conditional writes) and Kinesis through the AWS JS SDK v3.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { CreateStreamCommand, GetRecordsCommand, GetShardIteratorCommand, KinesisClient, ListShardsCommand, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { MOTO_CREDENTIALS, motoPeer } from './moto.js';

const moto = await motoPeer();

describe('moto peer', { skip: moto.skip }, () => {
  const server = moto.use();
  const T = { timeout: 60_000 };

  it('serves S3 and refuses a second If-None-Match put with 412', T, async () => {
    const m = server();
    const s3 = new S3Client({ endpoint: m.url, region: m.region, credentials: MOTO_CREDENTIALS, forcePathStyle: true });
    try {
      await s3.send(new CreateBucketCommand({ Bucket: 'peer-test' }));
      await s3.send(new PutObjectCommand({ Bucket: 'peer-test', Key: 'a/b.json', Body: '{"x":1}\n', IfNoneMatch: '*' }));
      const err = await s3.send(new PutObjectCommand({ Bucket: 'peer-test', Key: 'a/b.json', Body: 'other', IfNoneMatch: '*' })).catch((e: unknown) => e);
      assert.ok(err instanceof S3ServiceException, String(err));
      assert.equal(err.$metadata.httpStatusCode, 412);
      const got = await s3.send(new GetObjectCommand({ Bucket: 'peer-test', Key: 'a/b.json' }));
      assert.equal(await got.Body?.transformToString(), '{"x":1}\n');
    } finally {
      s3.destroy();
    }
  });

  it('serves Kinesis: a record put is read back from its shard', T, async () => {
    const m = server();
    const kinesis = new KinesisClient({ endpoint: m.url, region: m.region, credentials: MOTO_CREDENTIALS, requestHandler: new NodeHttpHandler() });
    try {
      await kinesis.send(new CreateStreamCommand({ StreamName: 'peer-test', ShardCount: 1 }));
      const put = await kinesis.send(new PutRecordCommand({ StreamName: 'peer-test', PartitionKey: 'k', Data: Buffer.from('hello') }));
      const { Shards } = await kinesis.send(new ListShardsCommand({ StreamName: 'peer-test' }));
      assert.equal(Shards?.[0]?.ShardId, put.ShardId);
      const it = await kinesis.send(new GetShardIteratorCommand({ StreamName: 'peer-test', ShardId: put.ShardId, ShardIteratorType: 'TRIM_HORIZON' }));
      const recs = await kinesis.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator }));
      assert.deepEqual(
        recs.Records?.map((r) => Buffer.from(r.Data!).toString()),
        ['hello'],
      );
    } finally {
      kinesis.destroy();
    }
  });

  it('reset forgets every bucket', T, async () => {
    const m = server();
    await m.reset();
    const s3 = new S3Client({ endpoint: m.url, region: m.region, credentials: MOTO_CREDENTIALS, forcePathStyle: true });
    try {
      const err = await s3.send(new GetObjectCommand({ Bucket: 'peer-test', Key: 'a/b.json' })).catch((e: unknown) => e);
      assert.ok(err instanceof S3ServiceException && err.name === 'NoSuchBucket', String(err));
    } finally {
      s3.destroy();
    }
  });
});
