import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { RECORD_KINDS, type RecordKind } from '../../../src/transforms/index.js';
import { expectedResults, expectRun, referenceForm, type RawLine } from './lake.js';
import { readChecked } from './tables.js';

/** Every record of a topic as the lake holds it (objects in key order, lines in order). */
export async function readLakeLines(lakeRoot: string, topic: string): Promise<RawLine[]> {
  const out: RawLine[] = [];
  const base = join(lakeRoot, 'topics', topic);
  const parts = (await fs.readdir(base).catch(() => [] as string[])).filter((p) => p.startsWith('partition='));
  const keys: string[] = [];
  for (const p of parts) for (const f of await fs.readdir(join(base, p))) if (f.endsWith('.json')) keys.push(`topics/${topic}/${p}/${f}`);
  for (const key of keys.sort()) {
    const text = await fs.readFile(join(lakeRoot, key), 'utf8');
    const lines = text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    lines.forEach((payload, i) => out.push({ key, line: i + 1, payload }));
  }
  return out;
}

/** The rows of a cleaned table by ind, in the reference's form; asserts one row per ind. */
export async function cleanRows(root: string, kind: RecordKind): Promise<Map<string, Record<string, unknown>>> {
  const rows = (await readChecked(root, `tables/${kind}`)).map(referenceForm);
  const byInd = new Map(rows.map((r) => [String(r.ind), r]));
  assert.equal(byInd.size, rows.length, `tables/${kind} holds one row per ind`);
  return byInd;
}

/** The rejects table by source. */
export async function rejectRows(root: string): Promise<Map<string, [string, string, string]>> {
  const rows = await readChecked(root, 'tables/rejects');
  const out = new Map(rows.map((r) => [String(r.source), [String(r.kind), String(r.reason), String(r.payload)] as [string, string, string]]));
  assert.equal(out.size, rows.length, 'one reject per source');
  return out;
}

/** Asserts the lake's tables equal what the reference makes of `lines` (all runs together), and the stored results the reference's results. */
export async function assertMatchesReference(root: string, lines: Record<RecordKind, RawLine[]>): Promise<void> {
  const clean = {} as Record<RecordKind, Record<string, unknown>[]>;
  const wantRejects = new Map<string, [string, string, string]>();
  for (const kind of RECORD_KINDS) {
    const want = expectRun(kind, lines[kind]);
    const got = await cleanRows(root, kind);
    assert.deepEqual(new Map([...got].sort()), new Map([...want.clean].sort()), `tables/${kind}`);
    clean[kind] = [...got.values()];
    const payloadOf = new Map(lines[kind].map((l) => [`${l.key}#${l.line}`, l.payload]));
    for (const [source, reason] of want.rejects) wantRejects.set(source, [kind, reason, payloadOf.get(source)!]);
  }
  assert.deepEqual(new Map([...(await rejectRows(root))].sort()), new Map([...wantRejects].sort()), 'tables/rejects');
  const want = expectedResults(clean.pin as never, clean.geo as never, clean.user as never);
  for (const [id, rows] of want) {
    const got = (await readChecked(root, `results/${id}`)).map((r) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])),
    );
    assert.deepEqual(got, rows, `results/${id}`);
  }
}
