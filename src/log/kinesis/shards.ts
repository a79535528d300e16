import { ListShardsCommand, type KinesisClient, type Shard } from '@aws-sdk/client-kinesis';
import { PinpipeError } from '../../core/errors.js';
import { kinesisError } from './kinesis-errors.js';

/** An open shard as a partition: its id and the first hash key it owns (where pinpipe sends the partition's records). */
export interface ShardSlot {
  shardId: string;
  startingHashKey: string;
}

/**
 * The shards of a stream as partitions 0…n-1, in shard-id order. pinpipe keeps positions per
 * partition, so a stream must keep its shards: a resharded stream (a closed parent shard, or
 * children) is refused with KINESIS_RESHARDED rather than read with positions that no longer fit.
 */
export async function listShardSlots(client: KinesisClient, stream: string): Promise<ShardSlot[]> {
  const shards: Shard[] = [];
  let token: string | undefined;
  do {
    try {
      const res = await client.send(new ListShardsCommand(token ? { NextToken: token } : { StreamName: stream }));
      shards.push(...(res.Shards ?? []));
      token = res.NextToken;
    } catch (err) {
      throw kinesisError(`list shards of ${stream}`, err);
    }
  } while (token);
  const resharded = shards.filter((s) => s.SequenceNumberRange?.EndingSequenceNumber !== undefined || s.ParentShardId !== undefined);
  if (resharded.length > 0)
    throw new PinpipeError(
      'KINESIS_RESHARDED',
      `Kinesis stream ${stream} was resharded (${resharded.map((s) => s.ShardId).join(', ')} closed or split/merged); pinpipe reads streams whose shards never change: drain it and create a new stream with the shard count you need.`,
    );
  return shards.map((s) => ({ shardId: s.ShardId!, startingHashKey: s.HashKeyRange!.StartingHashKey! })).sort((a, b) => a.shardId.localeCompare(b.shardId));
}
