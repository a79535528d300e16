import { createHmac, timingSafeEqual } from 'node:crypto';
import { PinpipeError } from '../../core/errors.js';
import type { ReadStart } from '../../log/log.js';
import { isStreamName } from './stream-catalog.js';

/** Shard iterators live this long, as on Kinesis. */
export const ITERATOR_TTL_MS = 5 * 60_000;

/** What a shard iterator stands for: where to read next in which shard of which stream, and when it was issued. */
export interface IteratorState {
  stream: string;
  /** The stream's creation time: an iterator of a deleted and re-created stream is refused. */
  createdAt: number;
  shard: number;
  start: ReadStart;
  /** Issue time, epoch ms of the API's clock. */
  issuedAt: number;
}

/** Bytes of the HMAC-SHA256 kept in a token (128 bits: a forgery needs 2^128 tries). */
const MAC_BYTES = 16;

const mac = (payload: string, key: Buffer): Buffer => createHmac('sha256', key).update(payload).digest().subarray(0, MAC_BYTES);

/**
 * Encode an iterator as an opaque token: base64url of its state, a dot, and an HMAC of that under
 * `key` (the data dir's secret), so a client can neither forge one nor move its issue time: every
 * process of the data dir accepts it, and it expires `ttlMs` after it was issued.
 */
export function encodeIterator(state: IteratorState, key: Buffer): string {
  const payload = Buffer.from(JSON.stringify([1, state.stream, state.createdAt, state.shard, state.start, state.issuedAt])).toString('base64url');
  return `${payload}.${mac(payload, key).toString('base64url')}`;
}

const invalid = (): PinpipeError => new PinpipeError('KINESIS_INVALID_ARGUMENT', 'Invalid ShardIterator.');

const isStart = (s: unknown): s is ReadStart => {
  const r = s as { kind?: unknown; position?: unknown; timestampMs?: unknown } | null;
  if (!r || typeof r !== 'object') return false;
  if (r.kind === 'earliest') return true;
  if (r.kind === 'at' || r.kind === 'after') return typeof r.position === 'string';
  return r.kind === 'timestamp' && typeof r.timestampMs === 'number';
};

/** Decode a token; KINESIS_INVALID_ARGUMENT when it is not one signed with `key`, KINESIS_ITERATOR_EXPIRED when it is older than `ttlMs`. */
export function decodeIterator(token: string, now: number, key: Buffer, ttlMs = ITERATOR_TTL_MS): IteratorState {
  const dot = token.indexOf('.');
  if (dot < 0) throw invalid();
  const payload = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  if (given.length !== MAC_BYTES || !timingSafeEqual(given, mac(payload, key))) throw invalid();
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parts) || parts.length !== 6 || parts[0] !== 1) throw invalid();
  const [, stream, createdAt, shard, start, issuedAt] = parts as unknown[];
  if (
    typeof stream !== 'string' ||
    !isStreamName(stream) ||
    typeof createdAt !== 'number' ||
    !Number.isInteger(shard) ||
    !isStart(start) ||
    typeof issuedAt !== 'number'
  )
    throw invalid();
  if (now - issuedAt > ttlMs) {
    throw new PinpipeError(
      'KINESIS_ITERATOR_EXPIRED',
      `Iterator expired. The iterator was created at time ${new Date(issuedAt).toUTCString()} while right now it is ${new Date(now).toUTCString()} which is further in the future than the tolerated delay of ${ttlMs} milliseconds.`,
    );
  }
  return { stream, createdAt, shard: shard as number, start, issuedAt };
}
