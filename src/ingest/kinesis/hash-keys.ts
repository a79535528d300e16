import { createHash } from 'node:crypto';
import { PinpipeError } from '../../core/errors.js';

/** 2^128: the size of Kinesis' hash-key space. */
export const HASH_KEY_SPACE = 1n << 128n;
const MAX_HASH_KEY = HASH_KEY_SPACE - 1n;

export interface HashKeyRange {
  StartingHashKey: string;
  EndingHashKey: string;
}

/** Width of each shard's range when `shards` split the space evenly (the last one takes the remainder). */
const width = (shards: number): bigint => HASH_KEY_SPACE / BigInt(shards);

/**
 * The hash-key range of shard `index` of a stream created with `shards` shards, as Kinesis splits it:
 * shard i starts at i·⌊2^128/n⌋, and the last shard ends at 2^128−1.
 */
export function hashKeyRange(index: number, shards: number): HashKeyRange {
  const w = width(shards);
  const start = BigInt(index) * w;
  const end = index === shards - 1 ? MAX_HASH_KEY : start + w - 1n;
  return { StartingHashKey: start.toString(), EndingHashKey: end.toString() };
}

/** The 128-bit hash key of a partition key: its MD5 digest read as a big-endian unsigned integer. */
export function partitionKeyHash(partitionKey: string): bigint {
  return BigInt(`0x${createHash('md5').update(partitionKey, 'utf8').digest('hex')}`);
}

/** The shard whose range holds `hashKey`, for a stream of `shards` evenly split shards. */
export function shardForHashKey(hashKey: bigint, shards: number): number {
  return Math.min(shards - 1, Number(hashKey / width(shards)));
}

/** Parse an ExplicitHashKey: a decimal integer from 0 to 2^128−1; KINESIS_INVALID_ARGUMENT otherwise. */
export function parseExplicitHashKey(text: unknown): bigint {
  if (typeof text !== 'string' || !/^(0|[1-9]\d{0,38})$/.test(text)) {
    throw new PinpipeError(
      'KINESIS_VALIDATION',
      `Value ${JSON.stringify(text)?.slice(0, 60)} at 'explicitHashKey' failed to satisfy constraint: Member must satisfy regular expression pattern: 0|([1-9]\\d{0,38})`,
    );
  }
  const key = BigInt(text);
  if (key > MAX_HASH_KEY) throw new PinpipeError('KINESIS_INVALID_ARGUMENT', `ExplicitHashKey ${text} is outside the hash-key space 0..2^128-1.`);
  return key;
}
