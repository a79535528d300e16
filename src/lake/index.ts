export type { ObjectInfo, ObjectStore, PutOptions } from './object-store.js';
export { LocalObjectStore } from './local/local-store.js';
export { LakeSink, type LakeSinkOptions } from './sink/lake-sink.js';
export { objectKey, partitionDir, startOffsetOf } from './sink/object-names.js';
export { readSinkProgress, SINK_GROUP, type SinkPartitionStatus, type SinkStatus } from './sink/sink-status.js';
