import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isError } from '../../../src/core/errors.js';
import { compareSequenceNumbers, fromSequenceNumber, toSequenceNumber } from '../../../src/ingest/kinesis/index.js';

describe('sequence numbers', () => {
  it('are 56 digits starting with 49 and round-trip shard and offset', () => {
    for (const [shard, position] of [
      [0, '0'],
      [3, '41'],
      [999, '9007199254740991'],
      [7, '1' + '0'.repeat(47)],
    ] as const) {
      const seq = toSequenceNumber(shard, position);
      assert.match(seq, /^49\d{54}$/);
      assert.deepEqual(fromSequenceNumber(seq), { shard, position });
    }
  });

  it('increase with the offset and compare as text and as numbers alike', () => {
    const offsets = [0, 1, 9, 10, 99, 100, 12345, 2 ** 40, Number.MAX_SAFE_INTEGER];
    const seqs = offsets.map((o) => toSequenceNumber(2, String(o)));
    for (let i = 1; i < seqs.length; i++) {
      assert.ok(seqs[i - 1] < seqs[i], 'string order');
      assert.ok(BigInt(seqs[i - 1]) < BigInt(seqs[i]), 'numeric order');
      assert.ok(compareSequenceNumbers(seqs[i - 1], seqs[i]) < 0);
    }
    assert.equal(compareSequenceNumbers(seqs[3], seqs[3]), 0);
  });

  it('carry the longer positions of a Kinesis log (its own sequence numbers) and still order as numbers', () => {
    const kinesis = ['49590338271490256608559692538361571095921575989136588898', '49590338271490256608559692538361571095921575989136588899'];
    const seqs = kinesis.map((p) => toSequenceNumber(1, p));
    assert.deepEqual(
      seqs.map((s) => fromSequenceNumber(s)),
      kinesis.map((position) => ({ shard: 1, position })),
    );
    assert.match(seqs[0], /^49000001\d{56}$/);
    assert.ok(compareSequenceNumbers(toSequenceNumber(1, '9'.repeat(48)), seqs[0]) < 0);
    assert.ok(BigInt(toSequenceNumber(1, '9'.repeat(48))) < BigInt(seqs[0]));
    assert.ok(compareSequenceNumbers(seqs[0], seqs[1]) < 0);
    assert.equal(toSequenceNumber(0, '1' + '0'.repeat(120)).length, 129, "Kinesis's longest");
    assert.throws(() => toSequenceNumber(0, '1' + '0'.repeat(121)));
  });

  it('refuses numbers that are not ours', () => {
    for (const bad of ['', '1', '49', '48' + '0'.repeat(54), '49' + '0'.repeat(53), toSequenceNumber(0, '5') + '0', 'x'.repeat(56), '49' + '1'.repeat(128)]) {
      assert.throws(
        () => fromSequenceNumber(bad),
        (e) => isError(e, 'KINESIS_INVALID_ARGUMENT'),
        bad,
      );
    }
  });

  it('refuses positions that are not decimal offsets', () => {
    assert.throws(() => toSequenceNumber(0, '-1'));
    assert.throws(() => toSequenceNumber(0, '007'));
    assert.throws(() => toSequenceNumber(-1, '0'));
  });
});
