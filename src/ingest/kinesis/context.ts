import type { Log } from '../../log/log.js';
import type { PutLimits } from './put-records.js';
import type { StreamCatalog } from './stream-catalog.js';

/** What the Kinesis routes share. */
export interface KinesisContext {
  log: Log;
  streams: StreamCatalog;
  limits: PutLimits;
  /** Create a missing stream on a gateway PUT (`api.autoCreateTopics`); the Kinesis API never does. */
  autoCreate: boolean;
  /** The clock of iterator issue and expiry (epoch ms). */
  now: () => number;
  iteratorTtlMs: number;
  /** The key shard iterators are signed with. */
  iteratorKey: Buffer;
}

/** Per request: the region named by the SigV4 credential scope (for ARNs), default `us-east-1`. */
export interface RequestInfo {
  region: string;
}
