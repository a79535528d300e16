import type { Faker } from '@faker-js/faker';
import type { UserRecord } from './records.js';
import type { TextPools } from './text-pools.js';
import { formatTimestamp } from './timestamp.js';

/** Age groups of docs/data.md §2 with their shares; ages start at 20 (the youngest seen in the original). */
export const AGE_GROUPS = [
  { label: '18-24', min: 20, max: 24, weight: 45 },
  { label: '25-35', min: 25, max: 35, weight: 27 },
  { label: '36-50', min: 36, max: 50, weight: 20 },
  { label: '+50', min: 51, max: 60, weight: 8 },
] as const;

/** Shares of the join years (2015–2017). */
export const JOIN_YEARS = [
  { value: 2015, weight: 30 },
  { value: 2016, weight: 45 },
  { value: 2017, weight: 25 },
];

const groupWeights = AGE_GROUPS.map((g) => ({ weight: g.weight, value: g }));

/** A user record; faker must already be seeded for the row. */
export function makeUser(f: Faker, pools: TextPools, ind: number): UserRecord {
  const first_name = f.helpers.arrayElement(pools.firstNames);
  const last_name = f.helpers.arrayElement(pools.lastNames);
  const group = f.helpers.weightedArrayElement(groupWeights);
  const age = f.number.int({ min: group.min, max: group.max });
  const year = f.helpers.weightedArrayElement(JOIN_YEARS);
  const joined = f.date.between({ from: Date.UTC(year, 0, 1), to: Date.UTC(year + 1, 0, 1) - 1000 });
  return { ind, first_name, last_name, age, date_joined: formatTimestamp(joined) };
}
