import { exponentialDistributor, type Faker } from '@faker-js/faker';
import { MARKERS } from './markers.js';

/**
 * Forms of `follower_count` outside the ~1% broken story rows (which hold the marker): with those
 * rows the overall mix is ~74% `<n>k`, 17% `<n>`, 7% `<n>M`, 2% `User Info Error` (docs/data.md §2).
 */
const FORMS = [
  { weight: 7475, value: 'k' },
  { weight: 1717, value: 'plain' },
  { weight: 707, value: 'M' },
  { weight: 101, value: 'error' },
] as const;

/** Median of the `<n>k` value (in thousands) per age group: the young are followed far more. */
function medianThousands(age: number): number {
  if (age <= 24) return 150;
  if (age <= 35) return 40;
  if (age <= 50) return 12;
  return 9;
}

/** Later joiners have fewer followers. */
const JOIN_FACTOR: Record<number, number> = { 2015: 1.5, 2016: 1, 2017: 0.6 };

const plainSkew = exponentialDistributor({ base: 10 });
const millionSkew = exponentialDistributor({ base: 20 });

/** A `follower_count` string whose size depends on the user's age and join year. */
export function followerCount(f: Faker, age: number, joinYear: number): string {
  switch (f.helpers.weightedArrayElement(FORMS)) {
    case 'k': {
      const median = medianThousands(age) * (JOIN_FACTOR[joinYear] ?? 1);
      const n = Math.round(median * 10 ** f.number.float({ min: -1, max: 1 }));
      return `${Math.min(999, Math.max(1, n))}k`;
    }
    case 'plain':
      return String(f.number.int({ min: 0, max: 999, distributor: plainSkew }));
    case 'M':
      return `${f.number.int({ min: 1, max: 25, distributor: millionSkew })}M`;
    case 'error':
      return MARKERS.userInfoError;
  }
}
