import { PinpipeError } from '../../core/errors.js';
import type { LineChunk, LogRecord, ReadLinesOptions, ReadOptions, ReadStart } from '../log.js';
import { parsePosition } from './positions.js';
import type { RecordRow, Statements } from './statements.js';
import { storeOp } from './store-error.js';
import type { PartState, TopicState } from './topic-registry.js';

export interface ReaderContext {
  readonly stmts: Statements;
  /** How often a reader at the end re-queries (picks up appends of other processes). */
  readonly pollIntervalMs: number;
  isClosed(): boolean;
}

/**
 * Read one partition from `fromOffset` in batches of at most `maxRecords`. Each batch is queried
 * only when the consumer pulls (the back-pressure). At the end, with `follow`, it waits for a
 * commit to this partition in this process or the next poll; abort or close end it normally.
 */
export async function* readPartition(
  ctx: ReaderContext,
  topic: TopicState,
  part: PartState,
  fromOffset: number,
  opts: ReadOptions = {},
): AsyncGenerator<LogRecord[], void, undefined> {
  const max = Number.isFinite(opts.maxRecords) ? Math.max(1, Math.floor(opts.maxRecords as number)) : 1000;
  const follow = opts.follow ?? true;
  const signal = opts.signal;
  const name = topic.info.name;
  const partition = part.partition;
  let off = fromOffset;
  for (;;) {
    if (signal?.aborted || ctx.isClosed()) return;
    if (topic.deleted) throw new PinpipeError('TOPIC_NOT_FOUND', `Topic ${name} was deleted.`);
    const rows = storeOp('read', () => ctx.stmts.readBatch.all(part.tp, off, max) as RecordRow[]);
    if (rows.length > 0) {
      const batch = new Array<LogRecord>(rows.length);
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i];
        batch[i] = { topic: name, partition, position: String(r[0]), key: r[1], value: r[2], timestamp: r[3], appendedAt: r[4] };
      }
      off = rows[rows.length - 1][0] + 1;
      yield batch;
      continue;
    }
    if (!follow) return; // caught up: the end as of this query
    await part.wakeup.wait(ctx.pollIntervalMs, signal);
  }
}

/** Log.readLines: one chunk of lines from `fromOffset`, waiting up to `waitMs` (commits in this process wake it, others are polled). */
export async function readLineChunk(
  ctx: ReaderContext,
  topic: TopicState,
  part: PartState,
  fromOffset: number,
  opts: ReadLinesOptions,
): Promise<LineChunk | undefined> {
  const max = Math.max(1, Math.floor(opts.maxRecords));
  const deadline = Date.now() + (opts.waitMs ?? 0);
  for (;;) {
    if (ctx.isClosed()) return undefined;
    if (topic.deleted) throw new PinpipeError('TOPIC_NOT_FOUND', `Topic ${topic.info.name} was deleted.`);
    const [count, first, last, maxTimestamp, lines] = storeOp('read', () => ctx.stmts.readLines.get(part.tp, fromOffset, max)) ?? [0, null, null, null, null];
    if (count > 0 && first !== null && last !== null && maxTimestamp !== null && lines !== null) {
      const firstTimestamp = storeOp('read', () => ctx.stmts.timestampAt.get(part.tp, first)) ?? maxTimestamp;
      return { count, firstOffset: first, lastOffset: last, firstTimestamp, maxTimestamp, lines };
    }
    const left = deadline - Date.now();
    if (left <= 0 || opts.signal?.aborted) return undefined;
    await part.wakeup.wait(Math.min(left, ctx.pollIntervalMs), opts.signal);
  }
}

/** The first offset a read from `start` returns (`latest`: the end now; `timestamp`: first record at or after it, else the end). */
export function startOffset(stmts: Statements, part: PartState, start: ReadStart): number {
  const end = (): number => Math.max(part.next, (stmts.lastOffset.get(part.tp) ?? -1) + 1);
  switch (start.kind) {
    case 'earliest':
      return 0;
    case 'latest':
      return end();
    case 'at':
      return parsePosition(start.position);
    case 'after':
      return parsePosition(start.position) + 1;
    case 'timestamp':
      return stmts.offsetAtTimestamp.get(part.tp, start.timestampMs) ?? end();
    default:
      throw new PinpipeError('INVALID_POSITION', `Unknown read start ${JSON.stringify(start)}.`);
  }
}
