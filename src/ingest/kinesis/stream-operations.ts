import { PinpipeError } from '../../core/errors.js';
import type { KinesisContext, RequestInfo } from './context.js';
import { listedStream, shardPage, streamDescription, streamSummary } from './describe.js';
import { type Input, optInt, optString } from './input.js';
import { assertStreamName } from './stream-catalog.js';
import { shardIndex } from './shard-ids.js';

/** Page tokens of ListStreams/ListShards: base64url JSON, opaque to clients. */
const encodeToken = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
function decodeToken<T>(token: string, check: (v: unknown) => v is T): T {
  try {
    const v: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (check(v)) return v;
  } catch {
    // fall through
  }
  throw new PinpipeError('KINESIS_INVALID_ARGUMENT', 'Invalid NextToken.');
}

/** CreateStream: a stream of `ShardCount` shards (default 1); ResourceInUseException when it exists. */
export async function createStream(ctx: KinesisContext, input: Input): Promise<Record<string, never>> {
  const name = assertStreamName(input.StreamName);
  const mode = (input.StreamModeDetails as { StreamMode?: unknown } | undefined)?.StreamMode;
  if (mode !== undefined && mode !== 'PROVISIONED')
    throw new PinpipeError('KINESIS_INVALID_ARGUMENT', `StreamMode ${String(mode)} is not supported: pinpipe streams have a fixed shard count (PROVISIONED).`);
  await ctx.streams.create(name, optInt(input, 'ShardCount', 1, 100_000) ?? 1);
  return {};
}

/** DeleteStream: the stream and its records go at once (no DELETING state). */
export async function deleteStream(ctx: KinesisContext, input: Input): Promise<Record<string, never>> {
  await ctx.streams.delete(ctx.streams.nameOf(input));
  return {};
}

/** DescribeStream: the stream with up to `Limit` shards after `ExclusiveStartShardId`. */
export async function describeStream(ctx: KinesisContext, input: Input, req: RequestInfo) {
  const name = ctx.streams.nameOf(input);
  const limit = optInt(input, 'Limit', 1, 10_000) ?? 100;
  const after = optString(input, 'ExclusiveStartShardId', 1, 128);
  const stream = await ctx.streams.require(name);
  const from = after === undefined ? 0 : shardIndex(after, name, stream.partitions) + 1;
  return { StreamDescription: streamDescription(stream, req.region, from, limit) };
}

/** DescribeStreamSummary. */
export async function describeStreamSummary(ctx: KinesisContext, input: Input, req: RequestInfo) {
  const stream = await ctx.streams.require(ctx.streams.nameOf(input));
  return { StreamDescriptionSummary: streamSummary(stream, req.region) };
}

/** ListStreams: names in order, paged by `Limit` and `ExclusiveStartStreamName` or `NextToken`. */
export async function listStreams(ctx: KinesisContext, input: Input, req: RequestInfo) {
  const limit = optInt(input, 'Limit', 1, 10_000) ?? 100;
  const token = optString(input, 'NextToken', 1, 1048576);
  const after = token !== undefined ? decodeToken(token, (v): v is string => typeof v === 'string') : optString(input, 'ExclusiveStartStreamName', 1, 128);
  const all = await ctx.streams.list();
  const rest = after === undefined ? all : all.filter((s) => s.name > after);
  const page = rest.slice(0, limit);
  const more = rest.length > page.length;
  return {
    StreamNames: page.map((s) => s.name),
    HasMoreStreams: more,
    ...(more ? { NextToken: encodeToken(page[page.length - 1].name) } : {}),
    StreamSummaries: page.map((s) => listedStream(s, req.region)),
  };
}

interface ShardToken {
  s: string;
  c: number;
  from: number;
}
const isShardToken = (v: unknown): v is ShardToken => {
  const t = v as ShardToken | null;
  return !!t && typeof t === 'object' && typeof t.s === 'string' && typeof t.c === 'number' && Number.isInteger(t.from);
};

/** ListShards: every shard is open; paged by `MaxResults` and `NextToken`; `ExclusiveStartShardId` and AFTER_SHARD_ID filters skip ahead. */
export async function listShards(ctx: KinesisContext, input: Input) {
  const max = optInt(input, 'MaxResults', 1, 10_000) ?? 1000;
  const token = optString(input, 'NextToken', 1, 1048576);
  if (token !== undefined && (input.StreamName !== undefined || input.StreamARN !== undefined)) {
    throw new PinpipeError('KINESIS_INVALID_ARGUMENT', 'NextToken and StreamName cannot be provided together.');
  }
  const paged = token === undefined ? undefined : decodeToken(token, isShardToken);
  const name = paged?.s ?? ctx.streams.nameOf(input);
  const stream = await ctx.streams.require(name);
  if (paged && stream.createdAt !== paged.c) throw new PinpipeError('KINESIS_INVALID_ARGUMENT', 'NextToken belongs to a stream that was deleted since.');
  let from = paged?.from ?? 0;
  const filter = input.ShardFilter as { Type?: unknown; ShardId?: unknown } | undefined;
  const after =
    optString(input, 'ExclusiveStartShardId', 1, 128) ?? (filter?.Type === 'AFTER_SHARD_ID' && typeof filter.ShardId === 'string' ? filter.ShardId : undefined);
  if (after !== undefined && !paged) from = shardIndex(after, name, stream.partitions) + 1;
  const { shards, more } = shardPage(stream, from, max);
  return { Shards: shards, ...(more ? { NextToken: encodeToken({ s: name, c: stream.createdAt, from: from + shards.length }) } : {}) };
}
