import { PinpipeError } from '../../core/errors.js';

/** The Kinesis id of shard `index`: `shardId-000000000000`. */
export function shardId(index: number): string {
  return `shardId-${String(index).padStart(12, '0')}`;
}

/**
 * The shard a shard id names in a stream of `shards` shards (`shardId-000000000003` → 3);
 * PARTITION_NOT_FOUND (Kinesis `ResourceNotFoundException`) when the stream has no such shard.
 */
export function shardIndex(id: string, stream: string, shards: number): number {
  const m = /^shardId-(\d{12})$/.exec(id);
  const index = m ? Number(m[1]) : -1;
  if (index < 0 || index >= shards) throw new PinpipeError('PARTITION_NOT_FOUND', `Shard ${id} in stream ${stream} under account ${ACCOUNT_ID} does not exist`);
  return index;
}

/** The account id in ARNs and messages (pinpipe has no accounts). */
export const ACCOUNT_ID = '000000000000';
