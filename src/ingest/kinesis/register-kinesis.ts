import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../core/config.js';
import type { Log } from '../../log/log.js';
import type { KinesisContext } from './context.js';
import { registerGatewayRoutes } from './gateway-routes.js';
import { ITERATOR_TTL_MS } from './iterators.js';
import { registerJsonApi } from './json-api.js';
import { setKinesisErrorHandler } from './kinesis-errors.js';
import { StreamCatalog } from './stream-catalog.js';

/** Kinesis' fixed limits. */
export const KINESIS_LIMITS = { maxRecords: 500, maxRecordBytes: 1024 * 1024, maxRequestBytes: 5 * 1024 * 1024 } as const;

export interface KinesisOptions {
  log: Log;
  /** The API's slice of the config: limits (lowering Kinesis' own), auto-creation, body size. */
  api: Pick<Config['api'], 'maxRecordsPerRequest' | 'maxRecordBytes' | 'maxBodyBytes' | 'autoCreateTopics' | 'maxJsonDepth'>;
  /** Clock for shard-iterator issue and expiry (default `Date.now`); tests pass their own. */
  now?: () => number;
  /** Shard-iterator lifetime (default 5 minutes, as Kinesis). */
  iteratorTtlMs?: number;
  /** The key shard iterators are signed with: `dataDirSecret(dataDir, 'shard-iterators')` (default: a random key of this process). */
  iteratorKey?: Buffer;
  /** Regular expression (whole-name match) of the batch path's topics, which DeleteStream refuses (`sinkTopicsRegex(config)`). */
  batchTopicsRegex?: string;
}

/**
 * Register the stream ingestion: the API-Gateway routes under `/streams` and the Kinesis API
 * (AWS JSON 1.1 on `POST /`), each in its own Fastify context whose errors answer in the Kinesis
 * shape `{"__type", "message"}`. Example: `await registerKinesis(app, { log, api: config.api })`.
 */
export async function registerKinesis(app: FastifyInstance, opts: KinesisOptions): Promise<void> {
  const ctx: KinesisContext = {
    log: opts.log,
    streams: new StreamCatalog(opts.log, opts.batchTopicsRegex === undefined ? undefined : new RegExp(`^(?:${opts.batchTopicsRegex})$`)),
    limits: {
      maxRecords: Math.min(KINESIS_LIMITS.maxRecords, opts.api.maxRecordsPerRequest),
      maxRecordBytes: Math.min(KINESIS_LIMITS.maxRecordBytes, opts.api.maxRecordBytes),
      maxRequestBytes: Math.min(KINESIS_LIMITS.maxRequestBytes, opts.api.maxBodyBytes),
    },
    autoCreate: opts.api.autoCreateTopics,
    now: opts.now ?? Date.now,
    iteratorTtlMs: opts.iteratorTtlMs ?? ITERATOR_TTL_MS,
    iteratorKey: opts.iteratorKey ?? randomBytes(32),
  };
  await app.register(async (scope) => {
    setKinesisErrorHandler(scope, 'gateway');
    registerGatewayRoutes(scope, ctx);
  });
  await app.register(async (scope) => {
    setKinesisErrorHandler(scope, 'json');
    registerJsonApi(scope, ctx, opts.api.maxBodyBytes, opts.api.maxJsonDepth);
  });
}
