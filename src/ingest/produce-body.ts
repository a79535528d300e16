import { isUtf8 } from 'node:buffer';
import { PinpipeError, type ErrorKind } from '../core/errors.js';
import { jsonDepth, jsonValueProblem, recordJsonProblem } from './json-limits.js';
import { valueSpans } from './json-spans.js';

export interface ProduceLimits {
  maxRecordsPerRequest: number;
  maxRecordBytes: number;
  /** Levels a record's key or value may nest (api.maxJsonDepth). */
  maxJsonDepth: number;
}

/**
 * A REST Proxy v2 produce body, parsed: the valid records as columns for the log, and each refused
 * record's error. Value j is `bytes[starts[j], ends[j])`: where the client sent it compact, its own
 * bytes (the body itself, no copy); otherwise its re-serialisation, after the body.
 */
export interface ParsedProduce {
  /** Records in the request. */
  count: number;
  /** The valid records' values as UTF-8 JSON text, in request order. */
  bytes: Uint8Array;
  starts: number[];
  ends: number[];
  /** Their keys as JSON text (null: no key); null when no valid record has a key. */
  keys: (string | null)[] | null;
  /** Their explicit partitions; null when none has one. */
  partitions: (number | null)[] | null;
  /** The request index of each valid record; null when every record is valid. */
  slots: number[] | null;
  /** The refused records: request index, error kind and message. */
  errors: { slot: number; kind: ErrorKind; message: string }[];
}

/** The records array of a parsed body, or the request-level 42201 / 42202. */
function recordsOf(body: unknown, limits: ProduceLimits): unknown[] {
  if (body === null || typeof body !== 'object' || !Array.isArray((body as { records?: unknown }).records)) {
    throw new PinpipeError('INVALID_BODY', 'Request body must be a JSON object with a "records" array.');
  }
  const records = (body as { records: unknown[] }).records;
  if (records.length === 0) throw new PinpipeError('INVALID_BODY', 'Request body "records" is empty.');
  if (records.length > limits.maxRecordsPerRequest)
    throw new PinpipeError('TOO_MANY_RECORDS', `Request has ${records.length} records; the limit is ${limits.maxRecordsPerRequest}.`);
  return records;
}

/** Parse JSON text as a request body: undefined when empty, INVALID_BODY when not JSON. */
export function parseJsonBody(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new PinpipeError('INVALID_BODY', `Request body is not valid JSON: ${(err as Error).message}`);
  }
}

/** The first byte a JSON value of this JS value's type starts with (a check that a span is the value JSON.parse saw). */
function startsLike(c: number, v: unknown): boolean {
  if (v === null) return c === 0x6e; // n
  switch (typeof v) {
    case 'string':
      return c === 0x22;
    case 'boolean':
      return c === (v ? 0x74 : 0x66);
    case 'number':
      return c === 0x2d || (c >= 0x30 && c <= 0x39);
    default:
      return c === (Array.isArray(v) ? 0x5b : 0x7b);
  }
}

/**
 * Parse a produce body into what the log stores, per record: its value as compact JSON text (the
 * bytes the client sent when they are compact already, as JavaScript and Java clients send them;
 * else JSON.stringify of the parsed value, e.g. for Python's `json.dumps`, which puts spaces after
 * separators, or when the record's keys are written with escapes), its key as JSON text and its
 * partition (the path's, else the record's) — or the per-record error that replaces it.
 * Request-level problems throw (INVALID_BODY, TOO_MANY_RECORDS). A pure function of its input,
 * so it runs the same on the event loop or in a parse thread.
 */
export function parseProduceBody(body: Uint8Array, pathPartition: number | undefined, limits: ProduceLimits): ParsedProduce {
  if (!isUtf8(body)) throw new PinpipeError('INVALID_BODY', 'Request body is not valid UTF-8.');
  const text = (Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength)).toString('utf8');
  const records = recordsOf(parseJsonBody(text), limits);
  const spans = valueSpans(body);
  const usable = spans !== undefined && spans.starts.length === records.length;
  const out: ParsedProduce = { count: records.length, bytes: body, starts: [], ends: [], keys: null, partitions: null, slots: null, errors: [] };
  /** Values that are not the body's bytes as they are (re-serialised), appended after the body. */
  const extra: Uint8Array[] = [];
  let extraBytes = 0;
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    if (r === null || typeof r !== 'object' || Array.isArray(r)) {
      refuse(out, i, 'INVALID_RECORD', 'Each record must be a JSON object with a "value".');
      continue;
    }
    const rec = r as { key?: unknown; value?: unknown; partition?: unknown };
    if (!('value' in rec)) {
      refuse(out, i, 'INVALID_RECORD', 'Record has no "value".');
      continue;
    }
    let start = usable ? spans.starts[i] : -1;
    let end = usable ? spans.ends[i] : -1;
    // Depth first (from the byte scan where there is one): JSON.stringify and the lake's readers recurse.
    const depth = start >= 0 ? spans!.depths[i] : jsonDepth(rec.value, limits.maxJsonDepth);
    const problem = depth > limits.maxJsonDepth ? `value nests deeper than ${limits.maxJsonDepth} levels (api.maxJsonDepth)` : recordProblem(rec, limits);
    if (problem !== undefined) {
      refuse(out, i, 'INVALID_RECORD', `Record ${problem}.`);
      continue;
    }
    if (start < 0 || !spans!.compact[i] || !startsLike(body[start], rec.value)) {
      const json = Buffer.from(JSON.stringify(rec.value));
      start = body.length + extraBytes;
      end = start + json.length;
      extra.push(json);
      extraBytes += json.length;
    }
    const key = rec.key === undefined || rec.key === null ? null : JSON.stringify(rec.key);
    const bytes = end - start + (key === null ? 0 : Buffer.byteLength(key));
    if (bytes > limits.maxRecordBytes) {
      refuse(out, i, 'RECORD_TOO_LARGE', `Record is ${bytes} bytes; the limit is ${limits.maxRecordBytes}.`);
      continue;
    }
    let partition = pathPartition ?? null;
    if (rec.partition !== undefined && rec.partition !== null) {
      if (!Number.isInteger(rec.partition) || (rec.partition as number) < 0) {
        refuse(out, i, 'INVALID_RECORD', 'Record "partition" must be a non-negative integer.');
        continue;
      }
      partition ??= rec.partition as number;
    }
    const n = out.starts.length;
    out.starts.push(start);
    out.ends.push(end);
    if (key !== null) (out.keys ??= new Array<string | null>(n).fill(null))[n] = key;
    else out.keys?.push(null);
    if (partition !== null) (out.partitions ??= new Array<number | null>(n).fill(null))[n] = partition;
    else out.partitions?.push(null);
    out.slots?.push(i);
  }
  if (extraBytes > 0) out.bytes = Buffer.concat([body, ...extra]);
  return out;
}

/** Why a record's value (its depth checked already) or key cannot be stored as sent, or undefined. */
function recordProblem(rec: { key?: unknown; value?: unknown }, limits: ProduceLimits): string | undefined {
  const value = jsonValueProblem(rec.value);
  if (value !== undefined) return `value holds ${value}`;
  const key = rec.key === undefined || rec.key === null ? undefined : recordJsonProblem(rec.key, limits.maxJsonDepth);
  return key === undefined ? undefined : `key ${key}`;
}

/** Record `slot`'s error; from the first one on, `slots` maps the valid records to their request index. */
function refuse(out: ParsedProduce, slot: number, kind: ErrorKind, message: string): void {
  if (!out.slots) out.slots = Array.from({ length: slot }, (_, i) => i);
  out.errors.push({ slot, kind, message });
}
