import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { sinkTopicsRegex, type Config } from '../core/config.js';
import type { Logger } from '../core/logger.js';
import { dataDirSecret } from '../core/secret.js';
import { registry } from '../core/metrics.js';
import type { Log, OffsetLog } from '../log/log.js';
import { registerAuth } from './auth.js';
import { registerJsonParsers } from './content-types.js';
import { ConsumerManager } from './consumers/consumer-manager.js';
import { registerConsumerRoutes } from './consumers/consumer-routes.js';
import { registerErrorHandler } from './error-handler.js';
import { frameworkErrors, MAX_PARAM_LENGTH } from './framework-errors.js';
import { registerKinesis } from './kinesis/index.js';
import { registerProduceRoutes } from './produce.js';
import { ProduceParser } from './produce-parser.js';
import { TopicResolver, registerTopicRoutes } from './topics.js';

export interface AppDeps {
  config: Config;
  /** The topics' log (REST Proxy produce and consumers): Kafka's offsets are its answers. */
  log: OffsetLog;
  /** The streams' log (the Kinesis API); default: `log`. */
  streams?: Log;
  logger: Logger;
  /** Extra health checks merged into /health (e.g. the sink's state). */
  health?: () => Record<string, unknown>;
  /** More routes (Kinesis, dashboard) registered inside the same app. */
  plugins?: ((app: FastifyInstance) => void | Promise<void>)[];
  /** Paths served without an API key besides /health (e.g. the dashboard page, which asks for a key itself). */
  openPaths?: readonly string[];
}

/** The ingestion API as a Fastify app (not listening): REST Proxy v2 produce/consume, /metrics, /health. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, log, logger } = deps;
  const app: FastifyInstance = Fastify({
    loggerInstance: logger.child({ component: 'api' }) as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.api.maxBodyBytes,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH }, // topic names reach 228 characters (the default is 100)
    frameworkErrors,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });
  registerErrorHandler(app, logger);
  registerJsonParsers(app, config.api.maxBodyBytes, config.api.maxJsonDepth);
  registerAuth(app, config.api.apiKeys, ['/health', ...(deps.openPaths ?? [])]);

  const topics = new TopicResolver(log, { autoCreate: config.api.autoCreateTopics, defaultPartitions: config.log.defaultPartitions });
  const consumers = new ConsumerManager(log, config.api.consumerInstanceTimeoutMs);
  app.addHook('onClose', async () => consumers.close());

  const limits = { maxRecordsPerRequest: config.api.maxRecordsPerRequest, maxRecordBytes: config.api.maxRecordBytes, maxJsonDepth: config.api.maxJsonDepth };
  const parser = new ProduceParser({ threads: config.api.parseThreads, inlineBelowBytes: config.api.parseInlineBelowBytes, limits });
  app.addHook('onClose', async () => parser.close());
  registerProduceRoutes(app, log, topics, parser);
  registerTopicRoutes(app, log, topics);
  registerConsumerRoutes(app, consumers);
  // Streams in the topics' log share its namespace: DeleteStream must then refuse the batch path's topics (the sink copies them).
  await registerKinesis(app, {
    log: deps.streams ?? log,
    api: config.api,
    batchTopicsRegex: deps.streams ? undefined : sinkTopicsRegex(config),
    iteratorKey: dataDirSecret(config.dataDir, 'shard-iterators'),
  });

  app.get('/health', async () => ({ status: 'ok', ...(deps.health?.() ?? {}) }));
  app.get('/metrics', async (_req, reply) => reply.type(registry.contentType).send(await registry.metrics()));

  for (const plugin of deps.plugins ?? []) await plugin(app);
  return app;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** Start listening; warn when the API is reachable from other hosts without API keys. */
export async function listen(app: FastifyInstance, config: Config, logger: Logger): Promise<string> {
  const url = await app.listen({ host: config.api.host, port: config.api.port });
  if (!LOOPBACK.has(config.api.host) && config.api.apiKeys.length === 0) {
    logger.warn(
      { host: config.api.host },
      'the ingest API is exposed beyond this machine without API keys: set api.apiKeys (PINPIPE_API_API_KEYS) to require them',
    );
  }
  return url;
}
