export { KINESIS_LIMITS, registerKinesis, type KinesisOptions } from './register-kinesis.js';
export { fromSequenceNumber, toSequenceNumber, compareSequenceNumbers } from './sequence-numbers.js';
export { hashKeyRange, partitionKeyHash, shardForHashKey } from './hash-keys.js';
export { shardId } from './shard-ids.js';
