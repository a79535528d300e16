import type { Randomizer } from '@faker-js/faker';

/** murmur3's 32-bit finaliser: spreads every input bit over the output. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A small seeded randomizer (sfc32) for faker. The generator reseeds faker once per row so that
 * any row can be computed on its own; faker's Mersenne Twister costs ~30 µs per reseed, this one
 * ~0.2 µs. Seeds are numbers or arrays of numbers (integers up to 2^53), e.g. `[seed, rowIndex]`.
 */
export function createRandomizer(seed: number | number[] = 0): Randomizer {
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 1;
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  const reseed = (s: number | number[]): void => {
    let h = 0x9e3779b9;
    for (const v of Array.isArray(s) ? s : [s]) {
      const lo = v >>> 0;
      const hi = Math.floor(v / 4294967296) >>> 0;
      h = fmix32(h ^ lo) + 0x6d2b79f5;
      h = fmix32(h ^ hi) + 0x6d2b79f5;
    }
    a = fmix32(h);
    b = fmix32(a ^ 0x85ebca6b);
    c = fmix32(b ^ 0xc2b2ae35);
    d = 1;
    for (let i = 0; i < 15; i++) next();
  };
  reseed(seed);
  return { next, seed: reseed };
}
