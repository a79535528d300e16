import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { createRowFactory, DEFAULT_SEED } from './dataset.js';
import { RECORD_KINDS, type RecordKind } from './records.js';

export interface GenerateFilesOptions {
  /** Rows to write (ids 0..rows-1). */
  rows: number;
  /** Dataset seed; default 42. */
  seed?: number;
  /** Directory for `pin.jsonl`, `geo.jsonl`, `user.jsonl` (created if missing). */
  outDir: string;
  /** Called with the number of rows written so far, about every 10,000 rows and at the end. */
  onProgress?: (rowsDone: number) => void;
  /** Stop early: the partial files are removed and the call rejects with the signal's reason. */
  signal?: AbortSignal;
}

export interface GenerateFilesResult {
  rows: number;
  /** Records written per file (= rows). */
  records: Record<RecordKind, number>;
  /** Bytes written per file. */
  bytes: Record<RecordKind, number>;
  files: Record<RecordKind, string>;
}

const CHUNK_CHARS = 1 << 16;
const HIGH_WATER_MARK = 1 << 20;
const PROGRESS_EVERY = 10_000;

/** Write one chunk, waiting for 'drain' when the stream's buffer is full. */
async function write(ws: WriteStream, chunk: Buffer, failure: { error?: Error }): Promise<void> {
  if (failure.error) throw failure.error;
  if (!ws.write(chunk)) await once(ws, 'drain');
}

/**
 * Write the seeded dataset as three JSONL files (one compact JSON record per line), streamed. Each
 * file is written under a temporary name and renamed at the end, so an interrupted or failed run
 * leaves no partial file (and an earlier complete file stays as it was).
 */
export async function generateFiles(opts: GenerateFilesOptions): Promise<GenerateFilesResult> {
  if (!Number.isSafeInteger(opts.rows) || opts.rows < 0) throw new RangeError(`rows must be a non-negative integer, got ${opts.rows}`);
  await mkdir(opts.outDir, { recursive: true });
  const make = createRowFactory(opts.seed ?? DEFAULT_SEED);
  const files = { pin: join(opts.outDir, 'pin.jsonl'), geo: join(opts.outDir, 'geo.jsonl'), user: join(opts.outDir, 'user.jsonl') };
  const temp = (kind: RecordKind): string => `${files[kind]}.partial-${process.pid}`;
  const open = (path: string): WriteStream => createWriteStream(path, { highWaterMark: HIGH_WATER_MARK });
  const streams = { pin: open(temp('pin')), geo: open(temp('geo')), user: open(temp('user')) };
  const failure: { error?: Error } = {};
  for (const ws of Object.values(streams)) ws.on('error', (err) => (failure.error ??= err));
  const buffers: Record<RecordKind, string> = { pin: '', geo: '', user: '' };
  const bytes: Record<RecordKind, number> = { pin: 0, geo: 0, user: 0 };
  const flush = async (kind: RecordKind): Promise<void> => {
    const chunk = Buffer.from(buffers[kind]);
    buffers[kind] = '';
    bytes[kind] += chunk.length;
    await write(streams[kind], chunk, failure);
  };
  try {
    for (let i = 0; i < opts.rows; i++) {
      if (i % 1000 === 0) opts.signal?.throwIfAborted();
      const row = make(i);
      for (const kind of RECORD_KINDS) {
        buffers[kind] += `${JSON.stringify(row[kind])}\n`;
        if (buffers[kind].length >= CHUNK_CHARS) await flush(kind);
      }
      if (opts.onProgress && (i + 1) % PROGRESS_EVERY === 0) opts.onProgress(i + 1);
    }
    for (const kind of RECORD_KINDS) await flush(kind);
    for (const kind of RECORD_KINDS) streams[kind].end();
    await Promise.all(RECORD_KINDS.map((kind) => finished(streams[kind])));
    opts.signal?.throwIfAborted();
    for (const kind of RECORD_KINDS) await rename(temp(kind), files[kind]);
  } catch (err) {
    for (const kind of RECORD_KINDS) streams[kind].destroy();
    await Promise.all(RECORD_KINDS.map((kind) => rm(temp(kind), { force: true })));
    throw err;
  }
  opts.onProgress?.(opts.rows);
  return { rows: opts.rows, records: { pin: opts.rows, geo: opts.rows, user: opts.rows }, bytes, files };
}
