import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../core/logger.js';
import { counter } from '../core/metrics.js';
import { asciiJson } from './ascii-json.js';
import { createDataset, DEFAULT_ROWS, DEFAULT_SEED } from './dataset.js';
import { createRandomizer } from './randomizer.js';
import { RECORD_KINDS, type Row } from './records.js';
import { buildRequest, readAcks, type EmulatorMode, type EmulatorRequest, type RecordOutcome } from './requests.js';

export interface EmulatorOptions {
  /** Base URL of the pinpipe API; default http://127.0.0.1:8082. */
  url?: string;
  /** Deployment prefix (topics `<prefix>.pin|geo|user`, streams `streaming-<prefix>-*`); default `pinterest`. */
  prefix?: string;
  /** Size of the synthetic source dataset; default 11,000. */
  rows?: number;
  /** Dataset seed (also seeds the row picks); default 42. */
  seed?: number;
  mode?: EmulatorMode;
  /** Iterations per second over all workers; without it (and without `noSleep`) each iteration waits 0–1 s, like the original. */
  ratePerSec?: number;
  /** Send as fast as the server answers. */
  noSleep?: boolean;
  /** Records per request per topic/stream (1 = the original: one request per record). */
  batchSize?: number;
  /** Requests in flight (independent sending loops); default 1. */
  concurrency?: number;
  /** Sent as `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  /** Stop after this many iterations (rows sent); default: no limit. */
  iterations?: number;
  /** Stop after this long; default: no limit. */
  durationMs?: number;
  /** Stop when aborted (in-flight requests are cancelled and counted as failed). */
  signal?: AbortSignal;
  /** Escape non-ASCII as `\uXXXX`, as the original's Python `json.dumps` does; default false. */
  asciiJson?: boolean;
  /** A request taking longer than this fails with `timeout`; default 30 s. */
  requestTimeoutMs?: number;
  /** First pause after a failed request, doubled per consecutive failure up to 5 s; default 100 ms. */
  backoffMs?: number;
  logger?: Logger;
  /** Called after each group of iterations with the running totals. */
  onProgress?: (stats: EmulatorResult) => void;
}

export interface EmulatorResult {
  /** Rows sent (each one pin, one geo and one user record). */
  iterations: number;
  requests: number;
  recordsSent: number;
  recordsAcked: number;
  recordsFailed: number;
  /**
   * Failed records by cause: HTTP status (`"500"`), `record:<code>` for a per-record error in a 200,
   * a network error code (`ECONNREFUSED`), `timeout`, `aborted` or `bad-reply`. Sums to `recordsFailed`.
   */
  errors: Record<string, number>;
  durationMs: number;
}

const MAX_BACKOFF_MS = 5000;

const recordsTotal = counter('pinpipe_emulator_records_total', 'Records sent by the emulator, by result (acked/failed).', ['result']);
const requestsTotal = counter('pinpipe_emulator_requests_total', 'Requests sent by the emulator, by HTTP status or network error.', ['status']);

function positiveInt(v: number | undefined, name: string, dflt: number): number {
  const n = v ?? dflt;
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`${name} must be a positive integer, got ${n}`);
  return n;
}

/** The network failure behind a fetch rejection, as an error key. */
function networkError(err: unknown): string {
  const e = err as { name?: string; cause?: { code?: string; name?: string } };
  if (e.name === 'TimeoutError' || e.cause?.name === 'TimeoutError') return 'timeout';
  if (e.name === 'AbortError') return 'aborted';
  return e.cause?.code ?? 'network';
}

/**
 * Emulate users posting (docs/data.md §9): each iteration picks a random row of the seeded dataset and
 * sends its pin, geo and user records, in that order, to a running pinpipe API. Never throws on
 * server or network errors: they are counted and the loop backs off and goes on.
 * @example await runEmulator({ iterations: 100, noSleep: true, batchSize: 50 })
 */
export async function runEmulator(opts: EmulatorOptions = {}): Promise<EmulatorResult> {
  const url = (opts.url ?? 'http://127.0.0.1:8082').replace(/\/+$/, '');
  const prefix = opts.prefix ?? 'pinterest';
  const mode = opts.mode ?? 'batch';
  const seed = opts.seed ?? DEFAULT_SEED;
  const batchSize = positiveInt(opts.batchSize, 'batchSize', 1);
  const concurrency = positiveInt(opts.concurrency, 'concurrency', 1);
  const limit = opts.iterations ?? Infinity;
  if (!(limit >= 0) || (limit !== Infinity && !Number.isSafeInteger(limit))) throw new RangeError(`iterations must be a non-negative integer, got ${limit}`);
  if (opts.durationMs !== undefined && !(opts.durationMs >= 0)) throw new RangeError(`durationMs must be non-negative, got ${opts.durationMs}`);
  const rate = opts.ratePerSec;
  if (rate !== undefined && !(rate > 0)) throw new RangeError(`ratePerSec must be positive, got ${rate}`);
  const dataset = createDataset({ rows: positiveInt(opts.rows, 'rows', DEFAULT_ROWS), seed });
  const picker = createRandomizer([seed, 0x656d75]);
  const stringify = opts.asciiJson ? asciiJson : JSON.stringify;
  const headers: Record<string, string> = opts.apiKey ? { authorization: `Bearer ${opts.apiKey}` } : {};
  const timeoutMs = opts.requestTimeoutMs ?? 30_000;
  const signal = opts.signal;

  const started = performance.now();
  const deadline = opts.durationMs === undefined ? Infinity : started + opts.durationMs;
  const stats: EmulatorResult = { iterations: 0, requests: 0, recordsSent: 0, recordsAcked: 0, recordsFailed: 0, errors: {}, durationMs: 0 };
  const stopped = (): boolean => signal?.aborted === true || performance.now() >= deadline;
  let claimed = 0;

  /** Wait `ms`, cut short by the deadline or the signal. */
  const pause = async (ms: number): Promise<void> => {
    const wait = Math.min(ms, deadline - performance.now());
    if (wait > 0) await sleep(wait, undefined, signal ? { signal } : undefined).catch(() => undefined);
  };

  const count = (outcomes: RecordOutcome[]): void => {
    for (const o of outcomes) {
      if (o === null) stats.recordsAcked++;
      else {
        stats.recordsFailed++;
        if (!(o in stats.errors)) opts.logger?.warn({ error: o, url }, 'emulator: records failed');
        stats.errors[o] = (stats.errors[o] ?? 0) + 1;
      }
    }
    recordsTotal.inc({ result: 'acked' }, outcomes.filter((o) => o === null).length);
    recordsTotal.inc({ result: 'failed' }, outcomes.filter((o) => o !== null).length);
  };

  /** Send one request; true when it got a 200. */
  const send = async (req: EmulatorRequest): Promise<boolean> => {
    stats.requests++;
    stats.recordsSent += req.records;
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
      const res = await fetch(url + req.path, {
        method: req.method,
        headers: { ...headers, 'content-type': req.contentType },
        body: req.body,
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      const text = await res.text();
      requestsTotal.inc({ status: String(res.status) });
      count(readAcks(mode, req, res.status, text));
      return res.status === 200;
    } catch (err) {
      const key = timeout.aborted ? 'timeout' : networkError(err);
      requestsTotal.inc({ status: key });
      count(Array<RecordOutcome>(req.records).fill(key));
      return false;
    }
  };

  const worker = async (): Promise<void> => {
    let backoff = opts.backoffMs ?? 100;
    while (!stopped()) {
      const n = Math.min(batchSize, limit - claimed);
      if (n <= 0) return;
      const first = claimed;
      claimed += n;
      if (rate !== undefined) await pause(started + (first / rate) * 1000 - performance.now());
      else if (!opts.noSleep) await pause(picker.next() * 1000);
      if (stopped()) return;
      const rows: Row[] = [];
      for (let i = 0; i < n; i++) rows.push(dataset.row(Math.floor(picker.next() * dataset.rows)));
      for (const kind of RECORD_KINDS) {
        if (signal?.aborted) break; // a deadline lets the row finish; an abort does not
        const records = rows.map((r) => ({ key: String(r.pin.index), value: r[kind] }));
        const ok = await send(buildRequest(mode, prefix, kind, records, batchSize > 1, stringify));
        if (ok) backoff = opts.backoffMs ?? 100;
        else if (!stopped()) {
          await pause(backoff);
          backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        }
      }
      stats.iterations += n;
      opts.onProgress?.({ ...stats, errors: { ...stats.errors }, durationMs: Math.round(performance.now() - started) });
    }
  };

  await Promise.all(Array.from({ length: concurrency }, worker));
  stats.durationMs = Math.round(performance.now() - started);
  opts.logger?.info({ ...stats, mode, url, prefix }, 'emulator finished');
  return stats;
}
