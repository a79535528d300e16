/* Seeded random raw records for the cleaning's random tests (DuckDB against the reference, Spark against DuckDB). */
import type { RecordKind } from '../../src/transforms/index.js';
import { random } from '../analytics/tables.js';
import type { RawRow } from './raw.js';

/** A number written exactly as given (to produce `12.0`, `1e3`, `-0.5`). */
class Raw {
  constructor(readonly text: string) {}
}
const ABSENT = Symbol('absent');
type Gen = ReturnType<typeof random>;

const MARKERS = [
  'No description available Story format',
  'No description available',
  'Untitled',
  'No Title Data Available',
  'User Info Error',
  'N,o, ,T,a,g,s, ,A,v,a,i,l,a,b,l,e',
  'Image src error.',
];
const ANY: unknown[] = [
  ABSENT,
  null,
  '',
  true,
  false,
  { a: 1 },
  [1, 'x'],
  new Raw('5'),
  new Raw('-3'),
  new Raw('1.5'),
  new Raw('12.0'),
  new Raw('1e3'),
  new Raw('-0.5'),
  '5',
  'true',
  'false',
  '[1]',
  '{"a":1}',
  'NaN',
  '-',
  '10 Best Ideas',
  'Inspiration',
  '日本 🎄 …\u00a0',
  'quote " backslash \\ newline \n tab \t',
  ...MARKERS,
];
const POOLS: Record<string, unknown[]> = {
  key: [
    new Raw('12'),
    new Raw('12.0'),
    new Raw('12.5'),
    new Raw('-5'),
    new Raw('1e2'),
    '12',
    '0012',
    '12.0',
    ' 12',
    '-5',
    'abc',
    '',
    null,
    ABSENT,
    true,
    { a: 1 },
  ],
  follower_count: [
    '0',
    '437',
    '51k',
    '1.5k',
    '12K',
    '6M',
    '2.5m',
    '0.0005k',
    '1.0000005M',
    '0.5',
    '2.5',
    '12 K',
    ' 12',
    '1.5x',
    '-5',
    '2147483648',
    '2147483.647k',
    'k',
    '1.',
    new Raw('437'),
    new Raw('-5'),
    new Raw('1.5'),
    new Raw('12.0'),
    new Raw('3000000000'),
  ],
  timestamp: [
    '2020-01-02 03:04:05',
    '2020-01-02T03:04:05',
    '2017-12-31 23:59:59',
    '2020-13-01 00:00:00',
    '2020-02-30 00:00:00',
    '2020-01-02',
    'garbage',
    new Raw('20200102'),
  ],
  double: [new Raw('-88.4642'), new Raw('0'), new Raw('179.99'), new Raw('1e2'), '12.5', '-7', 'abc', 'NaN', 'Infinity'],
  age: [new Raw('21'), new Raw('21.0'), new Raw('21.5'), '21', '021', '-3', new Raw('3000000000'), new Raw('-3')],
  save_location: ['Local save in /data/art', 'Local save in ', '/data/x', 'local save in /y'],
};
const FIELDS: Record<RecordKind, [string, string][]> = {
  pin: [
    ['index', 'key'],
    ['unique_id', 'any'],
    ['title', 'any'],
    ['description', 'any'],
    ['poster_name', 'any'],
    ['follower_count', 'follower_count'],
    ['tag_list', 'any'],
    ['is_image_or_video', 'any'],
    ['image_src', 'any'],
    ['downloaded', 'any'],
    ['save_location', 'save_location'],
    ['category', 'any'],
  ],
  geo: [
    ['ind', 'key'],
    ['timestamp', 'timestamp'],
    ['latitude', 'double'],
    ['longitude', 'double'],
    ['country', 'any'],
  ],
  user: [
    ['ind', 'key'],
    ['first_name', 'any'],
    ['last_name', 'any'],
    ['age', 'age'],
    ['date_joined', 'timestamp'],
  ],
};

function value(rnd: Gen, pool: string): unknown {
  if (pool !== 'any' && rnd.chance(0.7)) return rnd.pick(POOLS[pool]);
  if (pool === 'key' && rnd.chance(0.8)) return new Raw(String(rnd.int(0, 500)));
  return rnd.pick(ANY);
}

function serialize(fields: [string, unknown][]): string {
  return `{${fields
    .filter(([, v]) => v !== ABSENT)
    .map(([k, v]) => `${JSON.stringify(k)}:${v instanceof Raw ? v.text : JSON.stringify(v)}`)
    .join(',')}}`;
}

/** A random raw payload of `kind`: mostly objects of the kind's keys with values from pools of edge cases, some not JSON or not objects. */
export function payload(rnd: Gen, kind: RecordKind): string | null {
  const r = rnd.next();
  if (r < 0.02) return rnd.pick(['nope', '', '{"index": 1', '[1,', "{'a': 1}", null]);
  if (r < 0.04) return rnd.pick(['[1,2]', '5', '"text"', 'null', 'true', '[]']);
  const text = serialize(FIELDS[kind].map(([k, pool]) => [k, value(rnd, pool)]));
  // Half the senders escape non-ASCII as \uXXXX (Python's json.dumps).
  return rnd.chance(0.5) ? text.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : text;
}

/** `n` random raw rows of `kind` (sources `t+0+<i>`) from seed `seed`. */
export function randomRows(kind: RecordKind, seed: number, n = 2000): RawRow[] {
  const rnd = random(seed);
  return Array.from({ length: n }, (_, i) => ({ source: `t+0+${i}`, payload: payload(rnd, kind) }));
}
