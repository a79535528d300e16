import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startPinpipe, type RunningServer } from '../helpers/server.js';
import { waitFor } from '../helpers/peers/index.js';
import { tempDir } from '../helpers/temp.js';
import { pinpipe, ROOT } from './helpers.js';

/** `pinpipe sql`, `rejects`, `tail` and `query --limit` on a data dir filled through the API and `batch run`. */
const t = tempDir('pinpipe-inspect');
const data = resolve(t.dir, 'data');
const cli = (...args: string[]) => pinpipe(['--data-dir', data, ...args]);
let server: RunningServer;

const pins = Array.from({ length: 12 }, (_, i) => ({ index: i + 1, title: `t${i}`, category: i % 3 === 0 ? 'travel' : 'art', follower_count: '1k' }));

async function produce(topic: string, records: unknown[]): Promise<void> {
  const res = await fetch(`${server.url}/topics/${topic}`, {
    method: 'POST',
    headers: { 'content-type': 'application/vnd.kafka.json.v2+json' },
    body: JSON.stringify({ records }),
  });
  assert.equal(res.status, 200, await res.text());
}

before(async () => {
  server = await startPinpipe(['--data-dir', data, 'up', '--port', '0', '--no-batch', '--no-stream'], { PINPIPE_SINK_FLUSH_SIZE: '5' });
  await produce(
    'pinterest.pin',
    pins.map((value) => ({ value })),
  );
  await produce('pinterest.pin', [{ value: 'not an object' }, { value: { title: 'no index' } }]);
  await produce(
    'pinterest.geo',
    pins.map((p) => ({ value: { ind: p.index, timestamp: '2020-03-04 05:06:07', latitude: 1.5, longitude: 2.5, country: 'Albania' } })),
  );
  await produce(
    'pinterest.user',
    pins.map((p) => ({ value: { ind: p.index, first_name: 'A', last_name: 'B', age: 30, date_joined: '2016-01-02 03:04:05' } })),
  );
});
after(async () => {
  await server.stop();
  t.cleanup();
});

describe('pinpipe tail', () => {
  it('prints the records from the beginning, one value per line, and exits at the end with -e', async () => {
    const r = await cli('tail', 'pinterest.pin', '--from-beginning', '-e');
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 14);
    assert.deepEqual(JSON.parse(lines[0]), pins[0]);
    assert.equal(lines[12], '"not an object"');
  });

  it('--json gives each record with its position; -c stops after that many', async () => {
    const r = await cli('tail', 'pinterest.pin', '--from-beginning', '--json', '-c', '2');
    assert.equal(r.code, 0, r.stderr);
    const recs = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { topic: string; partition: number; offset: number; value: unknown });
    assert.deepEqual(
      recs.map((x) => [x.topic, x.partition, x.offset, x.value]),
      [
        ['pinterest.pin', 0, 0, pins[0]],
        ['pinterest.pin', 0, 1, pins[1]],
      ],
    );
  });

  it('follows new records until Ctrl-C', async () => {
    const proc = spawn(process.execPath, ['--import', 'tsx', resolve(ROOT, 'src/cli/main.ts'), '--data-dir', data, 'tail', 'pinterest.geo'], {
      cwd: ROOT,
      env: { ...process.env, PINPIPE_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await produce('pinterest.geo', [{ value: { ind: 0 } }]); // the topic exists before tail looks for it
      await waitFor(
        'tail to print a new record',
        async () => {
          await produce('pinterest.geo', [{ value: { ind: 42, country: 'Albania' } }]);
          return out.includes('"ind":42');
        },
        { timeoutMs: 90_000, intervalMs: 1000 },
      );
      proc.kill('SIGINT');
      const [code] = (await once(proc, 'exit')) as [number | null];
      assert.equal(code, 0);
    } finally {
      if (proc.exitCode === null) proc.kill('SIGKILL');
    }
  });
});

describe('after a batch run', () => {
  before(async () => {
    await server.stop(); // the sink drains the log into the lake on stop
    const r = await cli('batch', 'run', '--date', '2024-06-01');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /tables\/pin +v1 +\+12 rows/);
  });

  it('sql runs DuckDB SQL over the tables by name, in every format', async () => {
    const table = await cli('sql', 'select category, count(*) as n from pin group by 1 order by 1');
    assert.equal(table.code, 0, table.stderr);
    assert.equal(table.stdout, 'category  n\n--------  -\nart       8\ntravel    4\n(2 rows)\n');
    const json = await cli('sql', 'select category, count(*) as n from pin group by 1 order by 1', '--json');
    assert.deepEqual(JSON.parse(json.stdout), [
      { category: 'art', n: 8 },
      { category: 'travel', n: 4 },
    ]);
    const csv = await cli('sql', 'select category, count(*) as n from pin group by 1 order by 1', '--format', 'csv');
    assert.equal(csv.stdout, 'category,n\r\nart,8\r\ntravel,4\r\n');
    const one = await cli('sql', 'select 1 as x');
    assert.match(one.stdout, /\(1 row\)\n$/);
  });

  it('sql without a query lists the views; a table with no data yet says how to fill it', async () => {
    const list = await cli('sql', '--json');
    const views = JSON.parse(list.stdout) as { view: string; rows: number | null }[];
    assert.equal(views.find((v) => v.view === 'pin')?.rows, 12);
    assert.equal(views.find((v) => v.view === 'pinterest_pin_table')?.rows, null);
    const empty = await cli('sql', 'select * from pinterest_pin_table');
    assert.equal(empty.code, 1);
    assert.match(empty.stderr, /pinterest_pin_table has no data yet .*the stream job writes it/);
  });

  it('rejects lists each refused record with its reason; --kind filters', async () => {
    const r = await cli('rejects', '--json');
    assert.equal(r.code, 0, r.stderr);
    const rows = JSON.parse(r.stdout) as { layer: string; kind: string; reason: string; payload: string }[];
    assert.deepEqual(rows.map((x) => [x.layer, x.kind, x.reason, x.payload]).sort(), [
      ['batch', 'pin', 'missing_key', '{"title":"no index"}'],
      ['batch', 'pin', 'not_object', '"not an object"'],
    ]);
    const geo = await cli('rejects', '--kind', 'geo');
    assert.match(geo.stdout, /\(0 rows\)/);
    const limited = await cli('rejects', '--limit', '1');
    assert.match(limited.stdout, /\(1 row\)/);
    assert.match(limited.stderr, /showing 1 of 2 rejected records: --limit 0 prints all/);
  });

  it('query --limit prints the first rows of a result set', async () => {
    const r = await cli('query', 'popular_category_by_year', '--limit', '1', '--json');
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as unknown[]).length, 1);
  });
});
