import { exponentialDistributor, type Faker } from '@faker-js/faker';
import { COUNTRIES } from './countries.js';
import type { GeoRecord } from './records.js';
import { formatTimestamp } from './timestamp.js';

const FROM = Date.UTC(2017, 0, 1);
const TO = Date.UTC(2023, 0, 1) - 1000;

/** Heavy skew towards the start of the list: about half the rows fall in its first tenth. */
const countrySkew = exponentialDistributor({ base: 100 });

const sig6 = (x: number): number => Number(x.toPrecision(6));

/** A geolocation record; faker must already be seeded for the row. */
export function makeGeo(f: Faker, ind: number): GeoRecord {
  return {
    ind,
    timestamp: formatTimestamp(f.date.between({ from: FROM, to: TO })),
    latitude: sig6(f.number.float({ min: -90, max: 90 })),
    longitude: sig6(f.number.float({ min: -180, max: 180 })),
    country: COUNTRIES[f.number.int({ min: 0, max: COUNTRIES.length - 1, distributor: countrySkew })],
  };
}
