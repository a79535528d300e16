import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openDuckDB, type Sql } from '../../../src/core/duckdb.js';
import { freshQuery, rejectsQuery, Staging } from '../../../src/jobs/stream/micro-batch.js';
import { cleanSql, dedupeSql, RECORD_KINDS, rejectsSql, type RecordKind } from '../../../src/transforms/index.js';
import { loadRaw } from '../../transforms/raw.js';
import { geo, pin, user } from '../../transforms/raw.js';

const make: Record<RecordKind, (key: unknown, over?: Record<string, unknown>) => Record<string, unknown>> = { pin, geo, user };
const KEY: Record<RecordKind, string> = { pin: 'index', geo: 'ind', user: 'ind' };

/** Batches of different make-up, in a row: the staging's prepared plan must not depend on the first. */
function batches(kind: RecordKind): string[][] {
  const k = KEY[kind];
  const odd = [
    '',
    'not json',
    '[1,2]',
    '"text"',
    'null',
    '{"a":1}',
    JSON.stringify({ [k]: 'x' }),
    JSON.stringify({ [k]: null }),
    JSON.stringify({ [k]: 12.5 }),
    '\u001e garbage with the separator',
  ];
  const clean = (from: number, n: number, over: Record<string, unknown> = {}) =>
    Array.from({ length: n }, (_, i) => JSON.stringify(make[kind](from + i, over)));
  return [
    odd.slice(0, 9),
    clean(1, 50),
    [
      ...clean(1, 10),
      ...clean(5, 10, { country: '', first_name: null, title: 'No Title Data Available', follower_count: '1.5k', latitude: '12.5', age: '21' }),
    ],
    [
      JSON.stringify(make[kind]('0012')),
      JSON.stringify(make[kind](12.0)),
      `{"${k}": 9223372036854775807, "x": 1}`,
      JSON.stringify(make[kind](7, { timestamp: '2020-01-02T03:04:05', date_joined: 'bad' })),
    ],
    [...clean(100, 5), ...odd],
    clean(200, 1),
  ];
}

let prepared: Sql;
let plain: Sql;
before(async () => {
  plain = await openDuckDB({ threads: 1 });
});
after(() => plain.close());

describe('micro-batch staging (prepared, run per batch, re-created now and then)', () => {
  for (const kind of RECORD_KINDS) {
    it(`${kind}: every batch gives what the unprepared shared cleaning gives`, async () => {
      prepared = await openDuckDB({ threads: 1 });
      try {
        const staging = new Staging(prepared, kind);
        await staging.prepare();
        let offset = 0;
        for (const payloads of [...batches(kind), ...Array.from({ length: 70 }, () => batches(kind)[2]), ...batches(kind)]) {
          const sources = payloads.map(() => `s+0+${offset++}`);
          const staged = await staging.stage(payloads, sources);
          const q = freshQuery(kind, staged.keys.length, []);
          const rows = q ? await prepared.all(q.query, q.params) : [];
          const r = rejectsQuery(kind, []);
          const rejects = await prepared.all(r.query, r.params);
          await loadRaw(
            plain,
            'raw',
            payloads.map((p, i) => ({ payload: p, source: sources[i] })),
          );
          await plain.exec(`CREATE OR REPLACE TEMP TABLE cleaned AS ${cleanSql(kind, 'raw', { carry: ['source'] })}`);
          const expectRows = await plain.all(dedupeSql(kind, 'cleaned'));
          const expectRejects = await plain.all(rejectsSql(kind, 'raw'));
          const key = (x: unknown) => JSON.stringify(x, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));
          const sorted = <T>(xs: T[]) => [...xs].sort((a, b) => (key(a) < key(b) ? -1 : 1));
          assert.deepEqual(sorted(rows), sorted(expectRows), `${kind} rows of ${JSON.stringify(payloads).slice(0, 80)}`);
          assert.deepEqual(sorted(rejects), sorted(expectRejects), `${kind} rejects`);
          assert.deepEqual([...staged.keys].sort(), expectRows.map((x) => x.ind as bigint).sort());
          assert.deepEqual([...staged.rejectSources].sort(), expectRejects.map((x) => String(x.source)).sort());
        }
      } finally {
        prepared.close();
      }
    });
  }
});
