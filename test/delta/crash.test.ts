import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { sqlString } from '../../src/core/duckdb.js';
import { DeltaTable, listLog } from '../../src/delta/index.js';
import { canonicalRows, readDeltaTableIndependently, sortRows } from '../helpers/independent-delta.js';
import { useDeltaFixture } from './temp-store.js';

const LOOP = join(import.meta.dirname, 'fixtures/commit-loop.ts');

const fx = useDeltaFixture();

function startLoop(table: string, id: number, count?: number): { child: ChildProcess; versions: number[]; done: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', LOOP, fx.tmp.dir, table, String(id), ...(count ? [String(count)] : [])], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const versions: number[] = [];
  let buf = '';
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    const lines = buf.split('\n');
    buf = lines.pop()!;
    for (const l of lines) if (l) versions.push(Number(l));
  });
  const done = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, versions, done };
}

async function assertHealthy(table: string): Promise<number> {
  const listing = await listLog(fx.tmp.store, table);
  const versions = [...listing.commits.keys()].sort((a, b) => a - b);
  assert.deepEqual(
    versions,
    versions.map((_, i) => i),
    'commit versions are contiguous from 0',
  );
  const t = await DeltaTable.open(fx.tmp.store, table, { sql: fx.sql });
  const snap = await t.snapshot();
  assert.equal(snap.version, versions.length - 1);
  const rows = await t.readRows<{ writer: number; seq: bigint }>();
  assert.equal(rows.length, snap.version, 'one row per commit after the create');
  const keys = new Set(rows.map((r) => `${r.writer}/${r.seq}`));
  assert.equal(keys.size, rows.length, 'no row was committed twice');
  const independent = await readDeltaTableIndependently(join(fx.tmp.dir, table));
  assert.deepEqual(sortRows(independent.rows), sortRows(canonicalRows(rows, independent.schema)));
  return snap.version;
}

describe('Delta commits and crashes', () => {
  it('ignores an uncommitted data file and leftover temp files; vacuum removes the orphan', async () => {
    const t = await DeltaTable.create(fx.tmp.store, 'tables/t', { sql: fx.sql, columns: [{ name: 'v', type: 'long' }] });
    await t.append('SELECT 1 AS v');
    const tableDir = join(fx.tmp.dir, 'tables/t');
    // A writer that died after writing its data file but before committing it:
    const orphan = join(tableDir, 'part-00000-00000000-0000-0000-0000-000000000000-c000.snappy.parquet');
    await fx.sql.exec(`COPY (SELECT 666::BIGINT AS v) TO ${sqlString(orphan)} (FORMAT parquet)`);
    // …and temp files of interrupted puts (a commit and a checkpoint pointer):
    await fs.writeFile(join(tableDir, '_delta_log', '.tmp-0123456789ab'), '{"add":{"path":"x"');
    await fs.writeFile(join(tableDir, '_delta_log', '00000000000000000002.json.tmp'), '{"add":{"path":"x"');
    await fs.writeFile(join(tableDir, '.tmp-ba9876543210'), 'partial');

    const reader = await DeltaTable.open(fx.tmp.store, 'tables/t', { sql: fx.sql });
    assert.equal((await reader.snapshot()).version, 1);
    assert.deepEqual(await reader.readRows(), [{ v: 1n }]);

    assert.deepEqual((await reader.vacuum()).deleted, [], 'inside the default 7-day retention nothing goes');
    const dry = await reader.vacuum({ retentionMs: 0, dryRun: true });
    assert.deepEqual(dry.deleted, ['tables/t/part-00000-00000000-0000-0000-0000-000000000000-c000.snappy.parquet']);
    await fs.access(orphan);
    assert.deepEqual((await reader.vacuum({ retentionMs: 0 })).deleted, dry.deleted);
    await assert.rejects(fs.access(orphan));
    assert.deepEqual(await reader.readRows(), [{ v: 1n }]);
    assert.ok((await fs.readdir(join(tableDir, '_delta_log'))).includes('00000000000000000002.json.tmp'), 'vacuum never touches _delta_log');
    assert.equal((await reader.append('SELECT 2 AS v')).version, 2, 'the next commit is not blocked by the leftovers');
  });

  it('leaves a readable, contiguous table when a committing process is killed with SIGKILL', async () => {
    const loop = startLoop('tables/k', 1);
    const deadline = Date.now() + 60_000;
    while (loop.versions.length < 12 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.ok(loop.versions.length >= 12, 'the child committed');
    loop.child.kill('SIGKILL');
    await loop.done;
    const version = await assertHealthy('tables/k');
    assert.ok(version >= loop.versions[loop.versions.length - 1], 'every reported commit is in the table');
    // The table takes more commits after the crash, from another process.
    const again = startLoop('tables/k', 2, 3);
    assert.equal(await again.done, 0);
    assert.equal(await assertHealthy('tables/k'), version + 3);
  });

  it('keeps versions contiguous with several processes committing at once', async () => {
    const loops = [1, 2, 3].map((id) => startLoop('tables/m', id, 6));
    assert.deepEqual(await Promise.all(loops.map((l) => l.done)), [0, 0, 0]);
    assert.equal(await assertHealthy('tables/m'), 18);
  });
});
