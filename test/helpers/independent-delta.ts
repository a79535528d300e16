// An independent Delta Lake reader (reader protocol 1) used to validate the tables pinpipe writes.
// It shares no code with src/delta: JSON commits are parsed here, checkpoints and data files are
// read with hyparquet (not DuckDB). Keep it that way, or it stops being a second opinion.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';

type Json = Record<string, any>;

export interface IndependentField {
  name: string;
  type: unknown;
  nullable: boolean;
}

export interface IndependentTable {
  version: number;
  protocol: { minReaderVersion: number; minWriterVersion: number };
  schema: IndependentField[];
  partitionColumns: string[];
  /** Live file paths exactly as in the log. */
  files: string[];
  txns: Record<string, number>;
  /** The checkpoint replay started from, if any. */
  checkpointVersion: number | undefined;
  /** Rows in canonical form (see `canonicalValue`). */
  rows: Record<string, unknown>[];
}

const COMMIT = /^(\d{20})\.json$/;
const SINGLE = /^(\d{20})\.checkpoint\.parquet$/;
const MULTI = /^(\d{20})\.checkpoint\.(\d{10})\.(\d{10})\.parquet$/;

function pickCheckpoint(names: string[], hint: Json | undefined): { version: number; files: string[] } | undefined {
  const found = new Map<string, { version: number; parts: number; files: Map<number, string> }>();
  for (const n of names) {
    const s = SINGLE.exec(n);
    const m = MULTI.exec(n);
    if (!s && !m) continue;
    const version = Number((s ?? m)![1]);
    const parts = m ? Number(m[3]) : 1;
    const id = `${version}:${parts}`;
    const e = found.get(id) ?? { version, parts, files: new Map<number, string>() };
    e.files.set(m ? Number(m[2]) : 1, n);
    found.set(id, e);
  }
  const complete = [...found.values()].filter((e) => e.files.size === e.parts);
  complete.sort((a, b) => b.version - a.version || Number(hint?.parts === b.parts) - Number(hint?.parts === a.parts));
  const best = complete[0];
  return best && { version: best.version, files: [...best.files.entries()].sort((a, b) => a[0] - b[0]).map(([, f]) => f) };
}

function asNumber(v: unknown): number {
  return typeof v === 'bigint' ? Number(v) : (v as number);
}

/** Turn a value read by hyparquet (or DuckDB's JS values) into a comparable plain form. */
export function canonicalValue(v: unknown, type: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof type === 'string') {
    if (type === 'timestamp' || type === 'date') {
      const d = v instanceof Date ? v : new Date(String(v));
      return type === 'date' ? d.toISOString().slice(0, 10) : d.toISOString();
    }
    if (type === 'binary') return Buffer.from(v as Uint8Array).toString('hex');
    if (type === 'long' || type === 'integer' || type === 'short' || type === 'byte') return String(v);
    if (type === 'float') return Math.fround(Number(v));
    if (type === 'double' || type.startsWith('decimal')) return Number(v);
    return v;
  }
  const t = type as Json;
  if (t.type === 'array') return (v as unknown[]).map((e) => canonicalValue(e, t.elementType));
  if (t.type === 'struct') return Object.fromEntries((t.fields as IndependentField[]).map((f) => [f.name, canonicalValue((v as Json)[f.name], f.type)]));
  // map: hyparquet gives an object, DuckDB an array of {key, value}
  const entries = Array.isArray(v) ? (v as Json[]).map((e) => [e.key, e.value]) : Object.entries(v as Json);
  return entries.map(([k, val]) => [canonicalValue(k, t.keyType), canonicalValue(val, t.valueType)]).sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1));
}

function partitionValue(raw: string | null | undefined, type: unknown): unknown {
  if (raw === null || raw === undefined || raw === '') return null;
  if (type === 'timestamp') return new Date(/(Z|[+-]\d\d:?\d\d)$/.test(raw) ? raw : `${raw.replace(' ', 'T')}Z`);
  if (type === 'date') return new Date(`${raw}T00:00:00Z`);
  if (type === 'boolean') return raw === 'true';
  if (type === 'string') return raw;
  if (type === 'binary') return Buffer.from(raw, 'utf8');
  return type === 'long' ? BigInt(raw) : Number(raw);
}

/** Read a Delta table directory with an independent implementation: log replay + hyparquet. */
export async function readDeltaTableIndependently(dir: string, opts: { version?: number } = {}): Promise<IndependentTable> {
  const logDir = join(dir, '_delta_log');
  const names = (await fs.readdir(logDir)).sort();
  const commits = names.filter((n) => COMMIT.test(n)).map((n) => Number(COMMIT.exec(n)![1]));
  let hint: Json | undefined;
  try {
    hint = JSON.parse(await fs.readFile(join(logDir, '_last_checkpoint'), 'utf8'));
  } catch {
    hint = undefined;
  }
  const target = opts.version ?? Math.max(...commits, -1, ...names.filter((n) => SINGLE.test(n) || MULTI.test(n)).map((n) => Number(n.slice(0, 20))));
  const cp = pickCheckpoint(
    names.filter((n) => Number(n.slice(0, 20)) <= target),
    hint,
  );

  let protocol: Json | undefined;
  let metaData: Json | undefined;
  const live = new Map<string, Json>();
  const txns: Record<string, number> = {};
  const apply = (a: Json): void => {
    if (a.add) live.set(decodeURIComponent(a.add.path), a.add);
    else if (a.remove) live.delete(decodeURIComponent(a.remove.path));
    else if (a.metaData) metaData = a.metaData;
    else if (a.protocol) protocol = a.protocol;
    else if (a.txn) txns[a.txn.appId] = asNumber(a.txn.version);
  };
  if (cp) {
    for (const f of cp.files) {
      for (const row of await parquetReadObjects({ file: await asyncBufferFromFile(join(logDir, f)) })) {
        const kind = ['add', 'remove', 'metaData', 'protocol', 'txn'].find((k) => row[k] !== null && row[k] !== undefined);
        if (kind) apply({ [kind]: row[kind] });
      }
    }
  }
  for (let v = cp ? cp.version + 1 : 0; v <= target; v++) {
    if (!commits.includes(v)) throw new Error(`independent reader: commit ${v} is missing`);
    const text = await fs.readFile(join(logDir, `${String(v).padStart(20, '0')}.json`), 'utf8');
    for (const line of text.split('\n')) if (line.trim()) apply(JSON.parse(line));
  }
  if (!protocol || !metaData) throw new Error('independent reader: no protocol or metaData');
  if (asNumber(protocol.minReaderVersion) > 1) throw new Error(`independent reader: reader version ${protocol.minReaderVersion}`);

  const schema = (JSON.parse(metaData.schemaString).fields as IndependentField[]).map((f) => ({ name: f.name, type: f.type, nullable: f.nullable }));
  const partitionColumns: string[] = [...(metaData.partitionColumns ?? [])];
  const rows: Record<string, unknown>[] = [];
  for (const [rel, add] of live) {
    const data = await parquetReadObjects({ file: await asyncBufferFromFile(join(dir, rel)) });
    for (const r of data) {
      const row: Record<string, unknown> = {};
      for (const f of schema) {
        const raw = partitionColumns.includes(f.name) ? partitionValue(add.partitionValues?.[f.name], f.type) : r[f.name];
        row[f.name] = canonicalValue(raw, f.type);
      }
      rows.push(row);
    }
  }
  return {
    version: target,
    protocol: { minReaderVersion: asNumber(protocol.minReaderVersion), minWriterVersion: asNumber(protocol.minWriterVersion) },
    schema,
    partitionColumns,
    files: [...live.values()].map((a) => a.path as string).sort(),
    txns,
    checkpointVersion: cp?.version,
    rows,
  };
}

/** Canonical form of rows read by another reader (e.g. DuckDB JS values), for comparison. */
export function canonicalRows(rows: readonly Record<string, unknown>[], schema: readonly IndependentField[]): Record<string, unknown>[] {
  return rows.map((r) => Object.fromEntries(schema.map((f) => [f.name, canonicalValue(r[f.name], f.type)])));
}

/** Rows sorted by their JSON text, to compare as multisets. */
export function sortRows<T>(rows: readonly T[]): T[] {
  const key = (x: T): string => JSON.stringify(x, (_k, v) => (typeof v === 'bigint' ? String(v) : v));
  return [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
