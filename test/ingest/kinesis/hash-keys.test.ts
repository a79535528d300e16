import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { hashKeyRange, partitionKeyHash, shardForHashKey } from '../../../src/ingest/kinesis/index.js';

const MAX = (1n << 128n) - 1n;

describe('hash-key ranges', () => {
  it('split the 128-bit space evenly as Kinesis does at creation', () => {
    assert.deepEqual(hashKeyRange(0, 1), { StartingHashKey: '0', EndingHashKey: MAX.toString() });
    assert.deepEqual(hashKeyRange(1, 2), {
      StartingHashKey: '170141183460469231731687303715884105728',
      EndingHashKey: '340282366920938463463374607431768211455',
    });
    // What Kinesis reports for a 3-shard stream.
    assert.deepEqual(
      [0, 1, 2].map((i) => hashKeyRange(i, 3)),
      [
        { StartingHashKey: '0', EndingHashKey: '113427455640312821154458202477256070484' },
        { StartingHashKey: '113427455640312821154458202477256070485', EndingHashKey: '226854911280625642308916404954512140969' },
        { StartingHashKey: '226854911280625642308916404954512140970', EndingHashKey: '340282366920938463463374607431768211455' },
      ],
    );
  });

  it('are contiguous and cover the space for any shard count', () => {
    for (const n of [1, 2, 5, 7, 64, 1000]) {
      let next = 0n;
      for (let i = 0; i < n; i++) {
        const r = hashKeyRange(i, n);
        assert.equal(BigInt(r.StartingHashKey), next);
        next = BigInt(r.EndingHashKey) + 1n;
      }
      assert.equal(next, 1n << 128n);
    }
  });

  it('route a hash key to the shard whose range holds it, edges included', () => {
    for (const n of [1, 3, 4, 7]) {
      for (let i = 0; i < n; i++) {
        const r = hashKeyRange(i, n);
        assert.equal(shardForHashKey(BigInt(r.StartingHashKey), n), i);
        assert.equal(shardForHashKey(BigInt(r.EndingHashKey), n), i);
      }
    }
  });

  it('hash a partition key with MD5 as a big-endian 128-bit integer', () => {
    assert.equal(partitionKeyHash(''), 0xd41d8cd98f00b204e9800998ecf8427en);
    const key = 'clé-ü-✨';
    assert.equal(partitionKeyHash(key), BigInt('0x' + createHash('md5').update(Buffer.from(key, 'utf8')).digest('hex')));
  });
});
