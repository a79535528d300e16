/**
 * Kafka's default partitioner for keyed records: murmur2 exactly as the Java client's
 * `Utils.murmur2`, then `toPositive(h) % partitions`, so a key lands where Kafka would put it.
 */

const SEED = 0x9747b28c;
const M = 0x5bd1e995;

/** Kafka's murmur2 of `data` as a signed 32-bit integer (the Java client's `Utils.murmur2`). */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  let h = (SEED ^ length) | 0;
  const end = length & ~3;
  for (let i = 0; i < end; i += 4) {
    let k = data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  const rest = length & 3; // the trailing bytes, as Java's fall-through switch folds them in
  if (rest === 3) h ^= data[end + 2] << 16;
  if (rest >= 2) h ^= data[end + 1] << 8;
  if (rest >= 1) {
    h ^= data[end];
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/** The partition Kafka's Java client picks for a key: `toPositive(murmur2(utf8(key))) % partitions`. */
export function keyPartition(key: string, partitions: number): number {
  return (murmur2(Buffer.from(key, 'utf8')) & 0x7fffffff) % partitions;
}
