import { join } from 'node:path';
import type { Config } from '../core/config.js';
import { PinpipeError } from '../core/errors.js';
import type { Log, OffsetLog } from './log.js';
import { defaultLogUrl, parseLogUrl, type LogLocation } from './log-url.js';
import { openSqliteLog } from './sqlite/sqlite-log.js';

/**
 * Open the log at `url` (see `parseLogUrl`) with the log settings `cfg` (and the streams' settings, for Kinesis).
 * The Kafka and Kinesis clients are loaded only when a URL names them: loading them costs every process (each
 * `pinpipe` command, each task of the batch DAG) about half a second of CPU on an idle machine.
 */
export async function openLogUrl(url: string, cfg: Config['log'], streams?: Config['streams']): Promise<Log> {
  const at = parseLogUrl(url);
  if (at.kind === 'kinesis') {
    const { openKinesisLog } = await import('./kinesis/kinesis-log.js');
    return openKinesisLog({ region: at.region, defaultPartitions: cfg.defaultPartitions, maxRecordsPerRead: streams?.kinesisMaxRecordsPerRead ?? 10_000 });
  }
  return openOffsetLogAt(at, cfg);
}

/**
 * Open a log with offsets at `url` (sqlite: or kafka://): the topics' log, whose offsets the REST
 * Proxy API and the lake sink's object names need. CONFIG_INVALID for a Kinesis URL.
 */
export async function openOffsetLogUrl(url: string, cfg: Config['log']): Promise<OffsetLog> {
  const at = parseLogUrl(url);
  if (at.kind === 'kinesis')
    throw new PinpipeError(
      'CONFIG_INVALID',
      `The topics' log cannot be Kinesis (${url}): topics need Kafka's offsets. Use sqlite:<dir> or kafka://host:port for --log, and Kinesis for --streams.`,
    );
  return openOffsetLogAt(at, cfg);
}

/** Open the topics' log: `log.url`, by default the embedded log in `<dataDir>/log/pinpipe.db`. */
export async function openLog(cfg: Config['log'], dataDir: string): Promise<OffsetLog> {
  return openOffsetLogUrl(cfg.url ?? defaultLogUrl(dataDir), cfg);
}

async function openOffsetLogAt(at: Exclude<LogLocation, { kind: 'kinesis' }>, cfg: Config['log']): Promise<OffsetLog> {
  if (at.kind === 'sqlite')
    return openSqliteLog({
      path: join(at.dir, 'pinpipe.db'),
      fsync: cfg.fsync,
      groupCommitDelayMs: cfg.groupCommitDelayMs,
      defaultPartitions: cfg.defaultPartitions,
      maxTopics: cfg.maxTopics,
    });
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
