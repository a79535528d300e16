import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { isError } from '../../../src/core/errors.js';
import { createLogger } from '../../../src/core/logger.js';
import { DeltaTable } from '../../../src/delta/index.js';
import { parseRunDate, runBatch, type BatchReport, type RunMode } from '../../../src/jobs/batch/index.js';
import { LocalObjectStore, objectKey, type ObjectStore } from '../../../src/lake/index.js';
import { RECORD_KINDS, type RecordKind } from '../../../src/transforms/index.js';
import { tempDir } from '../../helpers/temp.js';
import { assertMatchesReference, cleanRows } from './expect.js';
import { BAD_LINES, emulatorPayloads, expectRun, writePartition, type RawLine } from './lake.js';
import { ALL_TABLES, readChecked, txnsOf, versionOf } from './tables.js';

const logger = createLogger('silent');
const dirs: (() => void)[] = [];
after(() => dirs.forEach((c) => c()));
function lake(): string {
  const t = tempDir('pinpipe-batch');
  dirs.push(t.cleanup);
  return join(t.dir, 'lake');
}
const topic = (kind: RecordKind) => `pinterest.${kind}`;
const run = (root: string, date: string, mode?: RunMode, store: ObjectStore = new LocalObjectStore(root)): Promise<BatchReport> =>
  runBatch({ store, prefix: 'pinterest', date: parseRunDate(date), mode, duckdb: { threads: 2 }, logger });

/** Writes `n` emulator events (and, with `bad`, the BAD_LINES) into two partitions per topic; returns the records per kind. */
function fill(root: string, n: number, opts: { start?: number; sampleSeed?: number; bad?: boolean } = {}): Record<RecordKind, RawLine[]> {
  const payloads = emulatorPayloads(n, { sampleSeed: opts.sampleSeed ?? 1 });
  const out = {} as Record<RecordKind, RawLine[]>;
  for (const kind of RECORD_KINDS) {
    const lines = opts.bad ? [...payloads[kind].slice(0, n / 2), ...BAD_LINES[kind], ...payloads[kind].slice(n / 2)] : payloads[kind];
    const half = Math.ceil(lines.length / 2);
    const start = opts.start ?? 0;
    out[kind] = [
      ...writePartition(root, topic(kind), 0, lines.slice(0, half), 40, start),
      ...writePartition(root, topic(kind), 1, lines.slice(half), 40, start),
    ];
  }
  return out;
}

describe('batch job (in process, raw objects written directly)', () => {
  it('on a lake without raw objects: creates empty tables and empty result sets', async () => {
    const root = lake();
    const r = await run(root, '2024-05-01');
    for (const kind of RECORD_KINDS) assert.deepEqual(r.read[kind], { objects: 0, records: 0 });
    assert.equal(r.tables.pin.status, 'committed');
    for (const key of ALL_TABLES) assert.deepEqual(await readChecked(root, key), [], key);
    assert.equal(Object.keys(r.results).length, 10);
  });

  it('cleans exactly as docs/data.md §3-4 say (types included), one row per ind (first by source), rejects with reasons, results as the reference', async () => {
    const root = lake();
    const lines = fill(root, 600, { bad: true });
    // The same ind with different content: the first by source (object key, then line) wins.
    lines.pin.push(
      ...writePartition(
        root,
        topic('pin'),
        2,
        [JSON.stringify({ index: 7, title: 'partition 2, line 1', category: 'art' }), JSON.stringify({ index: 9999, title: 'only here' })],
        40,
      ),
    );
    const r = await run(root, '2024-05-01');
    await assertMatchesReference(root, lines);
    assert.equal(r.tables.pin.rowsAdded, (await cleanRows(root, 'pin')).size);
    assert.deepEqual(r.rejects.pin, { bad_key: 1, missing_key: 1, not_json: 3, not_object: 2 });
    assert.deepEqual(r.rejects.geo, { bad_key: 1, missing_key: 1, not_json: 1, not_object: 1 });
    assert.deepEqual(r.rejects.user, { bad_key: 1, missing_key: 1, not_json: 1, not_object: 1 });
    const types = async (key: string) => {
      const t = await DeltaTable.open(new LocalObjectStore(root), key);
      const fields = (await t.snapshot()).schema!.fields;
      await t.close();
      return Object.fromEntries(fields.map((f) => [f.name, f.type]));
    };
    assert.deepEqual(await types('tables/pin'), {
      ind: 'long',
      unique_id: 'string',
      title: 'string',
      description: 'string',
      follower_count: 'integer',
      poster_name: 'string',
      tag_list: 'string',
      is_image_or_video: 'string',
      image_src: 'string',
      save_location: 'string',
      category: 'string',
    });
    assert.deepEqual(await types('tables/geo'), {
      ind: 'long',
      country: 'string',
      coordinates: { type: 'array', elementType: 'double', containsNull: true },
      timestamp: 'timestamp',
    });
    assert.deepEqual(await types('tables/user'), { ind: 'long', user_name: 'string', age: 'integer', date_joined: 'timestamp' });
  });

  it('reads only new objects on the next date and adds only new keys; the same date twice commits nothing', async () => {
    const root = lake();
    const first = fill(root, 400, { sampleSeed: 1 });
    const r1 = await run(root, '2024-05-01');
    assert.deepEqual(r1.read.pin, { objects: 10, records: 400 });
    const versions = await Promise.all(ALL_TABLES.map((k) => versionOf(root, k)));
    const again = await run(root, '2024-05-01');
    for (const t of Object.values(again.tables)) assert.equal(t.status, 'skipped');
    for (const t of Object.values(again.results)) assert.equal(t.status, 'unchanged');
    assert.deepEqual(again.read.pin, { objects: 0, records: 0 });
    assert.deepEqual(await Promise.all(ALL_TABLES.map((k) => versionOf(root, k))), versions, 'no table got a commit');

    // New objects after the first ones (offsets 200.. in each partition), with many keys seen before.
    const second = fill(root, 400, { start: 200, sampleSeed: 2 });
    const r2 = await run(root, '2024-05-02');
    assert.deepEqual(r2.read.pin, { objects: 10, records: 400 }, 'only the new objects are read');
    const all = Object.fromEntries(RECORD_KINDS.map((k) => [k, [...first[k], ...second[k]]])) as Record<RecordKind, RawLine[]>;
    await assertMatchesReference(root, all);
    const added = expectRun('pin', second.pin, new Set(expectRun('pin', first.pin).clean.keys())).clean.size;
    assert.equal(r2.tables.pin.rowsAdded, added);
    assert.ok(added < 200, 'most keys of the second day were there already');
    assert.deepEqual(await txnsOf(root, 'tables/pin'), { pinterest_dag: 20240502 });
  });

  it('--rerun adds what arrived since under a rerun txn; an older date is skipped; --full rebuilds the same tables', async () => {
    const root = lake();
    const first = fill(root, 200, { sampleSeed: 3, bad: true });
    await run(root, '2024-05-02');
    const second = fill(root, 200, { start: 200, sampleSeed: 4 });
    const older = await run(root, '2024-05-01');
    assert.match(older.tables.pin.reason!, /later date \(2024-05-02\)/);
    const same = await run(root, '2024-05-02');
    assert.match(same.tables.pin.reason!, /has already run/);
    const rerun = await run(root, '2024-05-02', 'rerun');
    assert.equal(rerun.tables.pin.status, 'committed');
    assert.deepEqual(rerun.read.pin.objects, 6);
    assert.deepEqual(await txnsOf(root, 'tables/pin'), { pinterest_dag: 20240502, 'pinterest_dag:rerun': 1 });
    const all = Object.fromEntries(RECORD_KINDS.map((k) => [k, [...first[k], ...second[k]]])) as Record<RecordKind, RawLine[]>;
    await assertMatchesReference(root, all);
    const nothingNew = await run(root, '2024-05-02', 'rerun');
    for (const t of Object.values(nothingNew.tables)) assert.equal(t.status, 'unchanged');
    for (const t of Object.values(nothingNew.results)) assert.equal(t.status, 'unchanged');

    const full = await run(root, '2024-05-02', 'full');
    assert.equal(full.read.pin.objects, 12);
    assert.deepEqual(await txnsOf(root, 'tables/pin'), { pinterest_dag: 20240502, 'pinterest_dag:rerun': 2 });
    await assertMatchesReference(root, all);
    const afterFull = await run(root, '2024-05-03');
    assert.deepEqual(afterFull.read.pin, { objects: 0, records: 0 }, 'a rebuild records everything it consumed');
  });

  it('continues exactly where it stopped when a run fails between commits (rejects behind the cleaned tables)', async () => {
    const root = lake();
    const first = fill(root, 200, { sampleSeed: 5, bad: true });
    const failing = new LocalObjectStore(root);
    const put = failing.put.bind(failing);
    failing.put = async (key, body, opts) => {
      if (key === 'tables/rejects/_delta_log/00000000000000000001.json') throw new Error('injected: disk gone');
      return put(key, body, opts);
    };
    await assert.rejects(run(root, '2024-05-01', undefined, failing), /injected/);
    assert.equal(await versionOf(root, 'tables/pin'), 1, 'the cleaned tables committed');
    assert.equal(await versionOf(root, 'tables/rejects'), 0, 'the rejects did not');
    // More data arrives before the next run: the rejects table must take both, the cleaned tables only the new objects.
    const second = fill(root, 200, { start: 200, sampleSeed: 6, bad: true });
    const r = await run(root, '2024-05-02');
    assert.equal(r.read.pin.objects, 12, 'objects are read for the rejects table too');
    assert.equal(r.tables.pin.objectsRead, 6);
    assert.equal(r.tables.rejects.objectsRead, 36);
    const all = Object.fromEntries(RECORD_KINDS.map((k) => [k, [...first[k], ...second[k]]])) as Record<RecordKind, RawLine[]>;
    await assertMatchesReference(root, all);

    // A failure after pin and before geo: a rerun of the date finishes geo and user only.
    const third = fill(root, 200, { start: 400, sampleSeed: 7 });
    const failGeo = new LocalObjectStore(root);
    const put2 = failGeo.put.bind(failGeo);
    failGeo.put = async (key, body, opts) => {
      if (key.startsWith('tables/geo/_delta_log/')) throw new Error('injected: geo commit lost');
      return put2(key, body, opts);
    };
    await assert.rejects(run(root, '2024-05-03', undefined, failGeo), /injected/);
    const retry = await run(root, '2024-05-03');
    assert.equal(retry.tables.pin.status, 'skipped');
    assert.equal(retry.tables.geo.status, 'committed');
    for (const kind of RECORD_KINDS) all[kind].push(...third[kind]);
    await assertMatchesReference(root, all);
  });

  it('two runs at once: one commits each table, the other skips it or stops with DELTA_CONFLICT; never a row twice', async (t) => {
    const root = lake();
    const lines = fill(root, 400, { sampleSeed: 8, bad: true });
    const outcomes = await Promise.allSettled([run(root, '2024-05-01'), run(root, '2024-05-01'), run(root, '2024-05-02')]);
    for (const o of outcomes) if (o.status === 'rejected') assert.ok(isError(o.reason, 'DELTA_CONFLICT'), String(o.reason));
    assert.ok(outcomes.some((o) => o.status === 'fulfilled'));
    t.diagnostic(
      outcomes
        .map((o) =>
          o.status === 'fulfilled'
            ? Object.values(o.value.tables)
                .map((x) => x.status)
                .join('/')
            : (o.reason as Error).message.slice(0, 60),
        )
        .join(' | '),
    );
    await run(root, '2024-05-02'); // finishes whatever the conflicts left
    await assertMatchesReference(root, lines);
  });

  it('a run whose table got a commit between its planning and its write stops with DELTA_CONFLICT instead of adding rows again', async () => {
    const root = lake();
    const lines = fill(root, 200, { sampleSeed: 9 });
    // While the 05-02 run reads its first raw pin object, a whole 05-01 run commits every table.
    const racing = new LocalObjectStore(root);
    const localPath = racing.localPath.bind(racing);
    let raced = false;
    racing.localPath = async (key) => {
      if (!raced && key.startsWith('topics/pinterest.pin/')) {
        raced = true;
        assert.equal((await run(root, '2024-05-01')).tables.pin.status, 'committed');
      }
      return localPath(key);
    };
    await assert.rejects(run(root, '2024-05-02', undefined, racing), (e) => isError(e, 'DELTA_CONFLICT') && e.message.includes('tables/pin'));
    assert.ok(raced);
    await assertMatchesReference(root, lines);
    assert.equal((await run(root, '2024-05-02')).tables.pin.rowsAdded, 0, 'the next run finds nothing new');
    await assertMatchesReference(root, lines);
  });

  it('names a raw object that is not UTF-8 text (BATCH_OBJECT_UNREADABLE)', async () => {
    const root = lake();
    fill(root, 20);
    const key = objectKey(topic('user'), 0, 1000);
    writeFileSync(join(root, key), Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d, 0x0a]));
    await assert.rejects(run(root, '2024-05-01'), (e) => isError(e, 'BATCH_OBJECT_UNREADABLE') && e.message.includes(key));
  });

  it('takes run dates as real YYYY-MM-DD dates', () => {
    assert.equal(parseRunDate('2024-02-29').version, 20240229);
    for (const bad of ['2023-02-29', '2024-13-01', '2024-1-01', '20240101', 'today', '2024-05-01T00:00:00'])
      assert.throws(
        () => parseRunDate(bad),
        (e) => isError(e, 'BATCH_INVALID_DATE'),
        bad,
      );
  });
});
