/**
 * A set of BIGINT keys (a table's `ind`s) in about 8 bytes per key: a sorted BigInt64Array
 * searched by bisection, plus a small Set of recent additions (~60 bytes a key, like any
 * Set<bigint>) merged in when it grows past a sixteenth of the array (amortised O(1) copies per key).
 */
export class KeySet {
  private sorted: BigInt64Array<ArrayBufferLike> = new BigInt64Array(0);
  private recent = new Set<bigint>();

  /** A set holding `keys` (any order, duplicates allowed); takes ownership of the array. */
  static from(keys: BigInt64Array<ArrayBufferLike>): KeySet {
    keys.sort();
    let n = 0;
    for (let i = 0; i < keys.length; i++) if (i === 0 || keys[i] !== keys[n - 1]) keys[n++] = keys[i];
    const s = new KeySet();
    s.sorted = n === keys.length ? keys : keys.slice(0, n);
    return s;
  }

  get size(): number {
    return this.sorted.length + this.recent.size;
  }

  has(key: bigint): boolean {
    if (this.recent.has(key)) return true;
    const a = this.sorted;
    let lo = 0;
    let hi = a.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = a[mid];
      if (v === key) return true;
      if (v < key) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }

  add(key: bigint): void {
    if (this.has(key)) return;
    this.recent.add(key);
    if (this.recent.size > Math.max(4096, this.sorted.length >>> 4)) this.merge();
  }

  /** Fold the recent keys into the sorted array. */
  merge(): void {
    if (this.recent.size === 0) return;
    const add = BigInt64Array.from(this.recent).sort();
    const a = this.sorted;
    const out = new BigInt64Array(a.length + add.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < a.length && j < add.length) out[k++] = a[i] < add[j] ? a[i++] : add[j++];
    while (i < a.length) out[k++] = a[i++];
    while (j < add.length) out[k++] = add[j++];
    this.sorted = out;
    this.recent = new Set();
  }
}
