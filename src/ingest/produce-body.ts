import { PinpipeError, type ErrorKind } from '../core/errors.js';

export interface ProduceLimits {
  maxRecordsPerRequest: number;
  maxRecordBytes: number;
}

/** A REST Proxy v2 produce body, parsed: the valid records as columns for the log, and each refused record's error. */
export interface ParsedProduce {
  /** Records in the request. */
  count: number;
  /** The valid records' values as JSON text, in request order (or, after encodeValues, empty). */
  values: string[];
  /** After encodeValues: the values as UTF-8, one after another; value i is bytes[ends[i-1] ?? 0 .. ends[i]). */
  encoded?: { bytes: Uint8Array; ends: Uint32Array };
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
  if (records.length > limits.maxRecordsPerRequest) throw new PinpipeError('TOO_MANY_RECORDS', `Request has ${records.length} records; the limit is ${limits.maxRecordsPerRequest}.`);
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

/**
 * Parse a produce body (JSON text) into what the log stores: each record's value and key as
 * their JSON text, its partition (the path's, else the record's), or the per-record error that
 * replaces it. Request-level problems throw (INVALID_BODY, TOO_MANY_RECORDS). A pure function
 * of its input, so it runs the same on the event loop or in a parse thread.
 */
export function parseProduceBody(text: string, pathPartition: number | undefined, limits: ProduceLimits): ParsedProduce {
  const records = recordsOf(parseJsonBody(text), limits);
  const out: ParsedProduce = { count: records.length, values: [], keys: null, partitions: null, slots: null, errors: [] };
  const refuse = (slot: number, kind: ErrorKind, message: string): void => {
    if (!out.slots) out.slots = Array.from({ length: slot }, (_, i) => i);
    out.errors.push({ slot, kind, message });
  };
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    if (r === null || typeof r !== 'object' || Array.isArray(r)) {
      refuse(i, 'INVALID_RECORD', 'Each record must be a JSON object with a "value".');
      continue;
    }
    const rec = r as { key?: unknown; value?: unknown; partition?: unknown };
    if (!('value' in rec)) {
      refuse(i, 'INVALID_RECORD', 'Record has no "value".');
      continue;
    }
    const value = JSON.stringify(rec.value);
    const key = rec.key === undefined || rec.key === null ? null : JSON.stringify(rec.key);
    const bytes = (value.length + (key?.length ?? 0)) * 3 > limits.maxRecordBytes ? Buffer.byteLength(value) + (key ? Buffer.byteLength(key) : 0) : 0;
    if (bytes > limits.maxRecordBytes) {
      refuse(i, 'RECORD_TOO_LARGE', `Record is ${bytes} bytes; the limit is ${limits.maxRecordBytes}.`);
      continue;
    }
    let partition = pathPartition ?? null;
    if (rec.partition !== undefined && rec.partition !== null) {
      if (!Number.isInteger(rec.partition) || (rec.partition as number) < 0) {
        refuse(i, 'INVALID_RECORD', 'Record "partition" must be a non-negative integer.');
        continue;
      }
      partition ??= rec.partition as number;
    }
    const n = out.values.length;
    out.values.push(value);
    if (key !== null) (out.keys ??= new Array<string | null>(n).fill(null))[n] = key;
    else out.keys?.push(null);
    if (partition !== null) (out.partitions ??= new Array<number | null>(n).fill(null))[n] = partition;
    else out.partitions?.push(null);
    out.slots?.push(i);
  }
  return out;
}

/**
 * Replace the parsed values by their UTF-8 bytes in one buffer (cheap to hand to another thread:
 * one transferable buffer instead of a string per record). Returns the buffers to transfer.
 */
export function encodeValues(parsed: ParsedProduce): ArrayBuffer[] {
  let chars = 0;
  for (const v of parsed.values) chars += v.length;
  // Not from Buffer's shared pool, so the buffer can be transferred; UTF-8 takes at most 3 bytes per UTF-16 unit.
  const scratch = Buffer.allocUnsafeSlow(chars * 3);
  const ends = new Uint32Array(parsed.values.length);
  let at = 0;
  for (let i = 0; i < parsed.values.length; i++) {
    at += scratch.write(parsed.values[i], at);
    ends[i] = at;
  }
  const bytes = new Uint8Array(scratch.buffer.slice(0, at)); // exact size: a view handed on clones its whole buffer
  parsed.encoded = { bytes, ends };
  parsed.values = [];
  return [bytes.buffer, ends.buffer];
}
