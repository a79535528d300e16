import { Faker, base, en } from '@faker-js/faker';
import { makeGeo } from './geo.js';
import { makePin } from './pin.js';
import { createRandomizer } from './randomizer.js';
import type { Row } from './records.js';
import { textPools } from './text-pools.js';
import { makeUser } from './user.js';

/** The dataset size and seed the original-style emulator uses by default. */
export const DEFAULT_ROWS = 11_000;
export const DEFAULT_SEED = 42;

export interface DatasetOptions {
  /** Number of rows (ids 0..rows-1); default 11,000. */
  rows?: number;
  /** Same seed, same rows; default 42. */
  seed?: number;
}

/** A deterministic synthetic source dataset (docs/data.md §2, §9). */
export interface Dataset {
  readonly rows: number;
  readonly seed: number;
  /** Row `index` (0 ≤ index < rows), computed on its own. */
  row(index: number): Row;
  /** Rows `start..end-1` in order (defaults: the whole dataset). */
  iterate(start?: number, end?: number): IterableIterator<Row>;
}

/** Builds rows of one seed: faker is reseeded with `[seed, index]` before each row. */
export function createRowFactory(seed: number = DEFAULT_SEED): (index: number) => Row {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  const pools = textPools(seed);
  const f = new Faker({ locale: [en, base], randomizer: createRandomizer(seed) });
  return (index) => {
    if (!Number.isSafeInteger(index) || index < 0) throw new RangeError(`row index must be a non-negative integer, got ${index}`);
    f.seed([seed, index]);
    const user = makeUser(f, pools, index);
    const geo = makeGeo(f, index);
    const pin = makePin(f, pools, index, user.age, Number(user.date_joined.slice(0, 4)));
    return { pin, geo, user };
  };
}

const factories = new Map<number, (index: number) => Row>();

/** Row `index` of the dataset with `seed`; independent of the dataset size and of other rows. */
export function generateRow(index: number, seed: number = DEFAULT_SEED): Row {
  let make = factories.get(seed);
  if (!make) {
    if (factories.size >= 8) factories.delete(factories.keys().next().value as number);
    make = createRowFactory(seed);
    factories.set(seed, make);
  }
  return make(index);
}

/** Rows `start..end-1` of the dataset with `seed`, in order. */
export function* generateRows(opts: { seed?: number; start?: number; end: number }): Generator<Row> {
  const make = createRowFactory(opts.seed ?? DEFAULT_SEED);
  for (let i = opts.start ?? 0; i < opts.end; i++) yield make(i);
}

/** A dataset of `rows` rows; `row(i)` is the same as `generateRow(i, seed)`. */
export function createDataset(opts: DatasetOptions = {}): Dataset {
  const rows = opts.rows ?? DEFAULT_ROWS;
  const seed = opts.seed ?? DEFAULT_SEED;
  if (!Number.isSafeInteger(rows) || rows < 1) throw new RangeError(`rows must be a positive integer, got ${rows}`);
  const make = createRowFactory(seed);
  return {
    rows,
    seed,
    row(index) {
      if (index >= rows) throw new RangeError(`row index ${index} is outside 0..${rows - 1}`);
      return make(index);
    },
    iterate: (start = 0, end = rows) => generateRows({ seed, start, end: Math.min(end, rows) }),
  };
}
