import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { makeApp, type TestApp } from '../../helpers/app.js';
import { b64, kinesis, makeClockApp, ManualClock, unb64 } from './kinesis-helpers.js';

type Rec = { SequenceNumber: string; Data: string; PartitionKey: string };
const SHARD = 'shardId-000000000000';

describe('shard iterators and GetRecords', () => {
  let t: TestApp;
  before(async () => {
    t = await makeApp();
  });
  after(async () => t.close());
  const call = (op: string, input: unknown = {}) => kinesis(t.app, op, input);
  const put = async (stream: string, ...texts: string[]) => {
    const r = await call('PutRecords', { StreamName: stream, Records: texts.map((x) => ({ PartitionKey: 'k', Data: b64(x) })) });
    assert.equal(r.body.FailedRecordCount, 0);
    return (r.body.Records as { SequenceNumber: string }[]).map((x) => x.SequenceNumber);
  };
  const iterator = async (stream: string, type: string, extra: Record<string, unknown> = {}) => {
    const r = await call('GetShardIterator', { StreamName: stream, ShardId: SHARD, ShardIteratorType: type, ...extra });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.ShardIterator as string;
  };
  const get = async (it: string, limit?: number) => {
    const r = await call('GetRecords', { ShardIterator: it, ...(limit ? { Limit: limit } : {}) });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body as { Records: Rec[]; NextShardIterator: string; MillisBehindLatest: number };
  };
  const texts = (rs: Rec[]) => rs.map((r) => unb64(r.Data));

  it('TRIM_HORIZON reads from the start and NextShardIterator continues without gaps or repeats', async () => {
    await call('CreateStream', { StreamName: 'horizon' });
    await put('horizon', 'a', 'b', 'c', 'd', 'e');
    const first = await get(await iterator('horizon', 'TRIM_HORIZON'), 2);
    assert.deepEqual(texts(first.Records), ['a', 'b']);
    assert.ok(first.MillisBehindLatest >= 0);
    const second = await get(first.NextShardIterator, 2);
    assert.deepEqual(texts(second.Records), ['c', 'd']);
    const third = await get(second.NextShardIterator);
    assert.deepEqual(texts(third.Records), ['e']);
    assert.equal(third.MillisBehindLatest, 0, 'caught up');
    const empty = await get(third.NextShardIterator);
    assert.deepEqual([empty.Records, empty.MillisBehindLatest], [[], 0]);
    await put('horizon', 'f');
    assert.deepEqual(texts((await get(empty.NextShardIterator)).Records), ['f'], 'an empty answer still continues from where it was');
  });

  it('AT_SEQUENCE_NUMBER and AFTER_SEQUENCE_NUMBER start at and after a record', async () => {
    await call('CreateStream', { StreamName: 'seq' });
    const seqs = await put('seq', 'r0', 'r1', 'r2', 'r3');
    assert.deepEqual(texts((await get(await iterator('seq', 'AT_SEQUENCE_NUMBER', { StartingSequenceNumber: seqs[1] }))).Records), ['r1', 'r2', 'r3']);
    assert.deepEqual(texts((await get(await iterator('seq', 'AFTER_SEQUENCE_NUMBER', { StartingSequenceNumber: seqs[1] }))).Records), ['r2', 'r3']);
    assert.deepEqual(texts((await get(await iterator('seq', 'AFTER_SEQUENCE_NUMBER', { StartingSequenceNumber: seqs[3] }))).Records), []);
    const got = (await get(await iterator('seq', 'TRIM_HORIZON'))).Records.map((r) => r.SequenceNumber);
    assert.deepEqual(got, seqs, 'GetRecords returns the sequence numbers PutRecords gave');
  });

  it('refuses a sequence number of another shard', async () => {
    await call('CreateStream', { StreamName: 'two', ShardCount: 2 });
    const r = await call('PutRecord', { StreamName: 'two', PartitionKey: 'p', Data: b64('x'), ExplicitHashKey: '0' });
    const other = await call('GetShardIterator', {
      StreamName: 'two',
      ShardId: 'shardId-000000000001',
      ShardIteratorType: 'AT_SEQUENCE_NUMBER',
      StartingSequenceNumber: r.body.SequenceNumber,
    });
    assert.deepEqual([other.status, other.body.__type], [400, 'InvalidArgumentException']);
  });

  it('LATEST is fixed when the iterator is issued: later records are read, earlier ones not', async () => {
    await call('CreateStream', { StreamName: 'latest' });
    await put('latest', 'old-1', 'old-2');
    const it = await iterator('latest', 'LATEST');
    await put('latest', 'new-1');
    const r = await get(it);
    assert.deepEqual(texts(r.Records), ['new-1']);
    await put('latest', 'new-2');
    assert.deepEqual(texts((await get(r.NextShardIterator)).Records), ['new-2']);
    const fresh = await iterator('latest', 'LATEST');
    assert.deepEqual((await get(fresh)).Records, [], 'nothing after the newest record');
  });

  it('AT_TIMESTAMP starts at the first record that arrived at or after the time', async () => {
    await call('CreateStream', { StreamName: 'clock' });
    await put('clock', 'before');
    await sleep(25);
    const mark = Date.now();
    await sleep(5);
    await put('clock', 'after-1', 'after-2');
    const records = (await get(await iterator('clock', 'TRIM_HORIZON'))).Records as (Rec & { ApproximateArrivalTimestamp: number })[];
    assert.ok(records[0].ApproximateArrivalTimestamp * 1000 < mark && records[1].ApproximateArrivalTimestamp * 1000 >= mark);
    assert.deepEqual(texts((await get(await iterator('clock', 'AT_TIMESTAMP', { Timestamp: mark / 1000 }))).Records), ['after-1', 'after-2'], 'epoch seconds');
    assert.deepEqual(
      texts((await get(await iterator('clock', 'AT_TIMESTAMP', { Timestamp: new Date(mark).toISOString() }))).Records),
      ['after-1', 'after-2'],
      'ISO text',
    );
    assert.deepEqual(texts((await get(await iterator('clock', 'AT_TIMESTAMP', { Timestamp: 0 }))).Records), ['before', 'after-1', 'after-2']);
    const future = await iterator('clock', 'AT_TIMESTAMP', { Timestamp: (Date.now() + 60_000) / 1000 });
    const none = await get(future);
    assert.deepEqual(none.Records, []);
    await put('clock', 'later');
    assert.deepEqual((await get(none.NextShardIterator)).Records, [], 'still waiting for the future time');
  });

  it('reports MillisBehindLatest when records remain', async () => {
    await call('CreateStream', { StreamName: 'behind' });
    await put('behind', '1', '2', '3');
    await sleep(20);
    const r = await get(await iterator('behind', 'TRIM_HORIZON'), 1);
    assert.ok(r.MillisBehindLatest >= 15, String(r.MillisBehindLatest));
  });

  it('refuses an iterator of a deleted or re-created stream', async () => {
    await call('CreateStream', { StreamName: 'gone' });
    const it = await iterator('gone', 'TRIM_HORIZON');
    await call('DeleteStream', { StreamName: 'gone' });
    const deleted = await call('GetRecords', { ShardIterator: it });
    assert.deepEqual([deleted.status, deleted.body.__type], [400, 'ResourceNotFoundException']);
    await sleep(2);
    await call('CreateStream', { StreamName: 'gone' });
    const recreated = await call('GetRecords', { ShardIterator: it });
    assert.deepEqual([recreated.status, recreated.body.__type], [400, 'ResourceNotFoundException']);
  });

  it('refuses a forged iterator: one with a later issue time, an unsigned one, one signed by another data dir', async () => {
    await call('CreateStream', { StreamName: 'forge' });
    await put('forge', 'secret record');
    const real = await iterator('forge', 'TRIM_HORIZON');
    const [payload, sig] = real.split('.');
    const state = JSON.parse(Buffer.from(payload, 'base64url').toString()) as unknown[];
    state[5] = Date.now() + 10 * 365 * 24 * 3600_000; // "issued" ten years from now: would never expire
    const moved = Buffer.from(JSON.stringify(state)).toString('base64url');
    const other = await makeApp();
    try {
      await kinesis(other.app, 'CreateStream', { StreamName: 'forge' });
      const foreign = (await kinesis(other.app, 'GetShardIterator', { StreamName: 'forge', ShardId: SHARD, ShardIteratorType: 'TRIM_HORIZON' })).body
        .ShardIterator;
      for (const forged of [`${moved}.${sig}`, moved, payload, `${payload}.`, `${payload}.${'A'.repeat(22)}`, foreign]) {
        const r = await call('GetRecords', { ShardIterator: forged });
        assert.deepEqual([r.status, r.body.__type, r.body.message], [400, 'InvalidArgumentException', 'Invalid ShardIterator.'], forged);
      }
    } finally {
      await other.close();
    }
    assert.deepEqual(texts((await get(real)).Records), ['secret record']);
  });
});

describe('shard iterator expiry', () => {
  it('expires iterators after five minutes; each NextShardIterator gets five more', async () => {
    const clock = new ManualClock();
    const t = await makeClockApp(clock);
    try {
      await kinesis(t.app, 'CreateStream', { StreamName: 'ttl' });
      await kinesis(t.app, 'PutRecord', { StreamName: 'ttl', PartitionKey: 'k', Data: b64('x') });
      const it = (await kinesis(t.app, 'GetShardIterator', { StreamName: 'ttl', ShardId: SHARD, ShardIteratorType: 'TRIM_HORIZON' })).body.ShardIterator;
      clock.advance(5 * 60_000);
      const ok = await kinesis(t.app, 'GetRecords', { ShardIterator: it });
      assert.equal(ok.status, 200, 'valid for exactly five minutes');
      assert.equal(ok.body.Records.length, 1);
      clock.advance(1);
      const expired = await kinesis(t.app, 'GetRecords', { ShardIterator: it });
      assert.deepEqual([expired.status, expired.body.__type], [400, 'ExpiredIteratorException']);
      assert.match(expired.body.message, /Iterator expired/);
      clock.advance(4 * 60_000);
      assert.equal((await kinesis(t.app, 'GetRecords', { ShardIterator: ok.body.NextShardIterator })).status, 200, 'the next iterator was issued later');
      clock.advance(60_001);
      assert.equal((await kinesis(t.app, 'GetRecords', { ShardIterator: ok.body.NextShardIterator })).body.__type, 'ExpiredIteratorException');
    } finally {
      await t.close();
    }
  });
});
