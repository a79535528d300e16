import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildRequest, readAcks } from '../../src/emulator/requests.js';

const recs = [
  { key: '1', value: { a: 1 } },
  { key: '2', value: { a: 2 } },
];

describe('emulator requests', () => {
  it('rejects a prefix that makes an illegal topic or stream name', () => {
    assert.throws(() => buildRequest('batch', 'bad/prefix', 'pin', recs, true, JSON.stringify), /Invalid topic/);
    assert.throws(() => buildRequest('stream', 'x'.repeat(300), 'pin', recs, true, JSON.stringify), /Invalid stream/);
  });
  it('counts a 200 whose body is not the expected shape as failed', () => {
    const req = buildRequest('batch', 'p', 'geo', recs, true, JSON.stringify);
    assert.deepEqual(readAcks('batch', req, 200, 'not json'), ['bad-reply', 'bad-reply']);
    assert.deepEqual(readAcks('batch', req, 200, '{"offsets":[{"partition":0,"offset":5,"error_code":null,"error":null}]}'), [null, 'record:missing']);
    assert.deepEqual(readAcks('batch', req, 413, '{"error_code":413,"message":"too large"}'), ['413', '413']);
    const one = buildRequest('stream', 'p', 'user', recs.slice(0, 1), false, JSON.stringify);
    assert.deepEqual(readAcks('stream', one, 200, '{"ShardId":"shardId-000000000000"}'), ['record:missing']);
    assert.deepEqual(readAcks('stream', one, 200, '{"SequenceNumber":"49","ShardId":"shardId-000000000000"}'), [null]);
  });
});
