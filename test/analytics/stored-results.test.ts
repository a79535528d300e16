import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ANALYTICS } from '../../src/analytics/index.js';
import { createLogger } from '../../src/core/logger.js';
import { parseRunDate, runBatch } from '../../src/jobs/batch/index.js';
import { LocalObjectStore } from '../../src/lake/index.js';
import { RECORD_KINDS } from '../../src/transforms/index.js';
import { tempDir } from '../helpers/temp.js';
import { pinpipe } from '../jobs/batch/cli.js';
import { cleanRows } from '../jobs/batch/expect.js';
import { emulatorPayloads, expectedResults, writePartition } from '../jobs/batch/lake.js';

let data: string;
let empty: string;
let cleanup: () => void;
let reference: Map<string, unknown[]>;

/** A minimal RFC 4180 reader (quoted fields, doubled quotes, CRLF records), to check what DuckDB wrote. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < text.length) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (text[i] === '"' && text[i + 1] === '"') {
          field += '"';
          i += 2;
        } else if (text[i] === '"') break;
        else field += text[i++];
      }
      i++;
      field = `"${field}`; // mark: quoted (distinguishes "" from an empty field)
    } else while (i < text.length && text[i] !== ',' && text[i] !== '\r') field += text[i++];
    row.push(field);
    if (text[i] === ',') i++;
    else {
      assert.equal(text.slice(i, i + 2), '\r\n', 'records end with CRLF');
      i += 2;
      rows.push(row);
      row = [];
    }
  }
  return rows;
}

before(async () => {
  let c1: () => void;
  let c2: () => void;
  ({ dir: data, cleanup: c1 } = tempDir('pinpipe-query'));
  ({ dir: empty, cleanup: c2 } = tempDir('pinpipe-query-empty'));
  cleanup = () => (c1(), c2());
  const lake = join(data, 'lake');
  const p = emulatorPayloads(400, { datasetRows: 150 });
  // Values that CSV must quote, a missing country (a NULL group), an empty poster name (NULL).
  p.pin.push(
    JSON.stringify({ index: 90001, poster_name: 'Smith, "Jr"', follower_count: '99M', category: 'art' }),
    JSON.stringify({ index: 90002, poster_name: '', follower_count: '98M', category: 'art' }),
  );
  p.geo.push(
    JSON.stringify({ ind: 90001, country: 'Korea, "Republic of"\nNorth', timestamp: '2019-01-01 00:00:00' }),
    JSON.stringify({ ind: 90002, timestamp: '2019-01-01 00:00:00' }),
  );
  for (const kind of RECORD_KINDS) writePartition(lake, `pinterest.${kind}`, 0, p[kind], 100);
  await runBatch({
    store: new LocalObjectStore(lake),
    prefix: 'pinterest',
    date: parseRunDate('2024-08-01'),
    duckdb: { threads: 2 },
    logger: createLogger('silent'),
  });
  const rows = async (kind: 'pin' | 'geo' | 'user') => [...(await cleanRows(lake, kind)).values()];
  reference = expectedResults((await rows('pin')) as never, (await rows('geo')) as never, (await rows('user')) as never);
});
after(() => cleanup());

describe('pinpipe query (stored result sets)', () => {
  it('--format json: an array of objects keyed by the column names of docs/data.md §5 in the order of docs/data.md §5, equal to the reference row for row', async () => {
    for (const a of ANALYTICS) {
      const r = await pinpipe(['--data-dir', data, 'query', a.id, '--format', 'json']);
      assert.equal(r.code, 0, r.stderr);
      const rows = JSON.parse(r.stdout) as Record<string, unknown>[];
      assert.deepEqual(rows, reference.get(a.id), a.id);
      for (const row of rows)
        assert.deepEqual(
          Object.keys(row),
          a.columns.map((c) => c.name),
        );
    }
    const most = JSON.parse((await pinpipe(['--data-dir', data, 'query', 'country_with_most_followed_user', '--format', 'json'])).stdout);
    assert.deepEqual(most, [{ country: 'Korea, "Republic of"\nNorth', follower_count: 99000000 }]);
  });

  it('--format csv: RFC 4180 (header, quoting, CRLF), NULL as an empty field', async () => {
    const r = await pinpipe(['--data-dir', data, 'query', 'most_followed_user_by_country', '--format', 'csv']);
    assert.equal(r.code, 0, r.stderr);
    const [header, ...rows] = parseCsv(r.stdout);
    assert.deepEqual(header, ['country', 'poster_name', 'follower_count']);
    const want = reference.get('most_followed_user_by_country') as Record<string, string | number | null>[];
    const field = (v: string | number | null): string => (v === null ? '' : typeof v === 'string' && /[",\r\n]/.test(v) ? `"${v}` : String(v));
    const unquote = (f: string): string => (f.startsWith('"') ? `"${f.slice(1)}` : f);
    assert.deepEqual(
      rows.map((row) => row.map(unquote)),
      want.map((w) => [w.country, w.poster_name, w.follower_count].map((v) => unquote(field(v)))),
    );
    assert.ok(r.stdout.includes('"Korea, ""Republic of""\nNorth"'), 'a value with a comma, quotes and a newline is quoted, quotes doubled');
    assert.ok(
      rows.some((row) => row[0] === '' && row[2] !== ''),
      'the NULL country is an empty field',
    );
  });

  it('--format table (the default): aligned columns with a header and a row count', async () => {
    const r = await pinpipe(['--data-dir', data, 'query', 'median_followers_by_age_group']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines[0], /^age_group\s+median_follower_count$/);
    assert.match(lines[1], /^-+ +-+$/);
    const want = reference.get('median_followers_by_age_group') as { age_group: string | null; median_follower_count: number | null }[];
    assert.deepEqual(
      lines.slice(2, -1).map((l) => l.split(/\s+/)),
      want.map((w) => [w.age_group ?? 'NULL', String(w.median_follower_count ?? 'NULL')]),
    );
    assert.equal(lines.at(-1), `(${want.length} rows)`);
    const width = lines[0].length;
    for (const l of lines.slice(2, -1)) assert.equal(l.length, width, 'numbers are right-aligned to the header');
  });

  it('--list: every name with when it was computed; names not computed yet have no time', async () => {
    const r = await pinpipe(['--data-dir', data, 'query', '--list', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const list = JSON.parse(r.stdout) as { name: string; computed_at: string | null; run_date: string | null; rows: number | null }[];
    assert.deepEqual(
      list.map((l) => l.name),
      ANALYTICS.map((a) => a.id),
    );
    for (const l of list) {
      assert.match(l.computed_at ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.equal(l.run_date, '2024-08-01');
      assert.equal(typeof l.rows, 'number');
    }
    const table = await pinpipe(['--data-dir', data, 'query', '--list']);
    assert.match(table.stdout, /^name +computed_at +run_date +rows +description\n/);
    assert.match(table.stdout, /\n\(10 rows\)\n$/);
    const none = await pinpipe(['--data-dir', empty, 'query', '--list', '--json']);
    assert.ok(
      (JSON.parse(none.stdout) as { computed_at: string | null }[]).every((l) => l.computed_at === null),
      none.stdout,
    );
  });

  it('an unknown id is an error listing the valid ids; a result not computed yet says how to compute it', async () => {
    const r = await pinpipe(['--data-dir', data, 'query', 'popular_category']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Unknown result set "popular_category"\. Valid ids: popular_category_by_country, .*median_followers_by_age_group_and_join_year\./);
    const n = await pinpipe(['--data-dir', empty, 'query', 'users_joined_by_year']);
    assert.equal(n.code, 1);
    assert.match(n.stderr, /not been computed yet: run `pinpipe batch run`/);
    const f = await pinpipe(['--data-dir', data, 'query', 'users_joined_by_year', '--format', 'xml']);
    assert.equal(f.code, 2);
    assert.match(f.stderr, /argument 'xml' is invalid\. Allowed choices are table, json, csv\./);
  });
});
