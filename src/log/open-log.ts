import { join } from 'node:path';
import type { Config } from '../core/config.js';
import type { Log } from './log.js';
import { defaultLogUrl, parseLogUrl } from './log-url.js';
import { openSqliteLog } from './sqlite/sqlite-log.js';

/**
 * Open the log at `url` (see `parseLogUrl`) with the log settings `cfg` (and the streams' settings, for Kinesis).
 * The Kafka and Kinesis clients are loaded only when a URL names them: loading them costs every process (each
 * `pinpipe` command, each task of the batch DAG) about half a second of CPU on an idle machine.
 */
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
      const { openKafkaLog } = await import('./kafka/kafka-log.js');
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
    case 'kinesis': {
      const { openKinesisLog } = await import('./kinesis/kinesis-log.js');
      return openKinesisLog({ region: at.region, defaultPartitions: cfg.defaultPartitions, maxRecordsPerRead: streams?.kinesisMaxRecordsPerRead ?? 10_000 });
    }
  }
}

/** Open the topics' log: `log.url`, by default the embedded log in `<dataDir>/log/pinpipe.db`. */
export async function openLog(cfg: Config['log'], dataDir: string): Promise<Log> {
  return openLogUrl(cfg.url ?? defaultLogUrl(dataDir), cfg);
}
