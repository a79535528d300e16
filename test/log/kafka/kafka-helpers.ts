import { openKafkaLog, type KafkaLog } from '../../../src/log/kafka/index.js';
import type { KafkaBroker } from '../../helpers/peers/kafka.js';

/** A Kafka log on the test broker, as pinpipe opens it (single broker: one replica). */
export function kafkaLogOn(broker: KafkaBroker, clientId = 'pinpipe-test'): Promise<KafkaLog> {
  return openKafkaLog({
    brokers: [broker.bootstrap],
    clientId,
    requestTimeoutMs: 10_000,
    defaultPartitions: 1,
    replicationFactor: 1,
    compression: 'lz4',
    maxSendBytes: 1_000_000,
  });
}
