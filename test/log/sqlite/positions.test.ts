import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isError } from '../../../src/core/errors.js';
import { compareOffsetPositions, parsePosition } from '../../../src/log/sqlite/positions.js';

describe('sqlite positions', () => {
  it('compare numerically, beyond 2^64', () => {
    assert.ok(compareOffsetPositions('9', '10') < 0);
    assert.ok(compareOffsetPositions('10', '9') > 0);
    assert.equal(compareOffsetPositions('42', '42'), 0);
    assert.ok(compareOffsetPositions('18446744073709551615', '18446744073709551616') < 0);
    assert.ok(compareOffsetPositions('0', '1') < 0);
  });

  it('reject what is not a canonical decimal offset', () => {
    for (const bad of ['', '-1', '01', '1.5', 'abc', ' 1', '1e3']) {
      assert.throws(
        () => parsePosition(bad),
        (e) => isError(e, 'INVALID_POSITION'),
        bad,
      );
      assert.throws(
        () => compareOffsetPositions(bad, '1'),
        (e) => isError(e, 'INVALID_POSITION'),
        bad,
      );
    }
    assert.throws(
      () => parsePosition('99999999999999999'),
      (e) => isError(e, 'INVALID_POSITION'),
    );
    assert.equal(parsePosition('9007199254740991'), Number.MAX_SAFE_INTEGER);
    assert.equal(parsePosition('0'), 0);
  });
});
