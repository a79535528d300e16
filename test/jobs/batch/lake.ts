// Test helpers: raw lake objects in the Connect layout, written directly (as the lake sink names
// them), and an oracle for what the batch tables must hold, built on the independent TypeScript
// references of docs/data.md §3-5 (test/transforms/reference.ts, test/analytics/reference.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generateRow } from '../../../src/emulator/index.js';
import { objectKey } from '../../../src/lake/index.js';
import type { RecordKind } from '../../../src/transforms/index.js';
import { reference, type GeoRow, type PinRow, type ResultRow, type UserRow } from '../../analytics/reference.js';
import { random } from '../../analytics/tables.js';
import { referenceClean, type Cleaned } from '../../transforms/reference.js';

/** One raw record as the batch job sees it: its payload and its source `<object key>#<line>`. */
export interface RawLine {
  readonly key: string;
  readonly line: number;
  readonly payload: string;
}

/**
 * Write `payloads` as the objects of one topic partition, `flushSize` lines per object, starting
 * at `startOffset`; returns the records with their sources. Objects already there are replaced.
 */
export function writePartition(lakeRoot: string, topic: string, partition: number, payloads: readonly string[], flushSize: number, startOffset = 0): RawLine[] {
  const out: RawLine[] = [];
  for (let i = 0; i < payloads.length; i += flushSize) {
    const chunk = payloads.slice(i, i + flushSize);
    const key = objectKey(topic, partition, startOffset + i);
    mkdirSync(dirname(join(lakeRoot, key)), { recursive: true });
    writeFileSync(join(lakeRoot, key), `${chunk.join('\n')}\n`);
    chunk.forEach((payload, j) => out.push({ key, line: j + 1, payload }));
  }
  return out;
}

/** `n` emulator-like events: rows of a `datasetRows`-row dataset sampled with replacement, as JSON lines per kind. */
export function emulatorPayloads(n: number, opts: { seed?: number; datasetRows?: number; sampleSeed?: number } = {}): Record<RecordKind, string[]> {
  const rows = opts.datasetRows ?? 200;
  const cache = new Map<number, ReturnType<typeof generateRow>>();
  const rnd = random(opts.sampleSeed ?? 1);
  const out: Record<RecordKind, string[]> = { pin: [], geo: [], user: [] };
  for (let i = 0; i < n; i++) {
    const r = rnd.int(0, rows - 1);
    let row = cache.get(r);
    if (!row) cache.set(r, (row = generateRow(r, opts.seed ?? 42)));
    out.pin.push(JSON.stringify(row.pin));
    out.geo.push(JSON.stringify(row.geo));
    out.user.push(JSON.stringify(row.user));
  }
  return out;
}

/** Lines no cleaning accepts, one per reject reason (and a repeated one). */
export const BAD_LINES: Record<RecordKind, string[]> = {
  pin: ['not json at all', '{"index": 1', '[1,2]', '"a string"', '{"title":"no index"}', '{"index":"abc","title":"bad key"}', 'not json at all'],
  geo: ['{"ind": 3, ', '42', '{"country":"Chad"}', '{"ind":-1.5}'],
  user: ['', 'null', '{"first_name":"x"}', '{"ind":{"a":1}}'],
};

/** Order of sources the job promises for "first": object key, then line. */
export function bySource(a: RawLine, b: RawLine): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : a.line - b.line;
}

export interface Expected {
  /** Clean rows by ind (reference form: BIGINT as decimal string, timestamps as ISO strings). */
  readonly clean: Map<string, Cleaned>;
  /** Rejects by source. */
  readonly rejects: Map<string, string>;
}

/**
 * What one run adds given the records it reads and the keys already in the table: the first
 * clean record of each new ind in source order, and every reject.
 */
export function expectRun(kind: RecordKind, lines: readonly RawLine[], existing: ReadonlySet<string> = new Set()): Expected {
  const clean = new Map<string, Cleaned>();
  const rejects = new Map<string, string>();
  for (const l of [...lines].sort(bySource)) {
    const o = referenceClean(kind, l.payload);
    if ('reject' in o) rejects.set(`${l.key}#${l.line}`, o.reject);
    else if (!existing.has(String(o.clean.ind)) && !clean.has(String(o.clean.ind))) clean.set(String(o.clean.ind), o.clean);
  }
  return { clean, rejects };
}

/** A table row read by DuckDB in the reference's form (BIGINT → string, TIMESTAMP → ISO string). */
export function referenceForm(row: Record<string, unknown>): Cleaned {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? String(v) : v instanceof Date ? v.toISOString() : v])) as Cleaned;
}

/** The docs/data.md §5 result sets the reference computes from cleaned rows (in the reference form). */
export function expectedResults(pins: readonly Cleaned[], geos: readonly Cleaned[], users: readonly Cleaned[]): Map<string, ResultRow[]> {
  const date = (v: unknown): Date | null => (v === null ? null : new Date(String(v)));
  const p: PinRow[] = pins.map((r) => ({
    ind: Number(r.ind),
    category: r.category as string | null,
    poster_name: r.poster_name as string | null,
    follower_count: r.follower_count as number | null,
  }));
  const g: GeoRow[] = geos.map((r) => ({ ind: Number(r.ind), country: r.country as string | null, timestamp: date(r.timestamp) }));
  const u: UserRow[] = users.map((r) => ({ ind: Number(r.ind), age: r.age as number | null, date_joined: date(r.date_joined) }));
  return reference(p, g, u);
}
