import { join } from 'node:path';
import type { Config } from '../core/config.js';
import { openKafkaLog } from './kafka/kafka-log.js';
import { openKinesisLog } from './kinesis/kinesis-log.js';
import type { Log } from './log.js';
import { defaultLogUrl, parseLogUrl } from './log-url.js';
import { openSqliteLog } from './sqlite/sqlite-log.js';

/** Open the log at `url` (see `parseLogUrl`) with the log settings `cfg` (and the streams' settings, for Kinesis). */
export async function openLogUrl(url: string, cfg: Config['log'], streams?: Config['streams']): Promise<Log> {
  const at = parseLogUrl(url);
  switch (at.kind) {
    case 'sqlite':
      return openSqliteLog({
        path: join(at.dir, 'pinpipe.db'),
        fsync: cfg.fsync,
        groupCommitDelayMs: cfg.groupCommitDelayMs,
        defaultPartitions: cfg.defaultPartitions,
        maxTopics: cfg.maxTopics,
      });
    case 'kafka': {
      const k = cfg.kafka;
      return openKafkaLog({
        brokers: at.brokers,
        clientId: k.clientId,
        requestTimeoutMs: k.requestTimeoutMs,
        defaultPartitions: cfg.defaultPartitions,
        replicationFactor: k.replicationFactor,
        compression: k.compression,
        maxSendBytes: k.maxSendBytes,
        tls: k.tls,
        sasl: k.sasl,
      });
    }
    case 'kinesis':
      return openKinesisLog({ region: at.region, defaultPartitions: cfg.defaultPartitions, maxRecordsPerRead: streams?.kinesisMaxRecordsPerRead ?? 10_000 });
  }
}

/** Open the topics' log: `log.url`, by default the embedded log in `<dataDir>/log/pinpipe.db`. */
export async function openLog(cfg: Config['log'], dataDir: string): Promise<Log> {
  return openLogUrl(cfg.url ?? defaultLogUrl(dataDir), cfg);
}
