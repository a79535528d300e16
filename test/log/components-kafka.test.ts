/**
 * The components on a real Kafka broker, unchanged: the lake sink (Connect object names with
 * Kafka's offsets, exactly once across a restart that finds the consumer group behind the lake)
 * and the stream job (positions in the Delta commits, then in its consumer group; a restart goes
 * on from the table's positions).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createLogger } from '../../src/core/logger.js';
import { LakeSink, SINK_GROUP } from '../../src/lake/index.js';
import { LocalObjectStore } from '../../src/lake/local/local-store.js';
import { keyPartition } from '../../src/log/index.js';
import { kafkaPeer } from '../helpers/peers/kafka.js';
import { tempDir } from '../helpers/temp.js';
import { until } from '../jobs/stream/helpers.js';
import { streamJobRoundTrip } from './components-helpers.js';
import { kafkaLogOn } from './kafka/kafka-helpers.js';
import { landed, uniqueTopic } from './log-contract.js';

const kafka = await kafkaPeer();
const logger = createLogger('silent');
const T = { timeout: 180_000 };

describe('components on a Kafka broker', { skip: kafka.skip }, () => {
  const broker = kafka.use();

  it('the lake sink writes objects named with Kafka offsets, exactly once across a restart behind the lake', T, async () => {
    const log = await kafkaLogOn(broker(), 'pinpipe-sink-test');
    const { dir, cleanup } = tempDir('pinpipe-sink-kafka');
    const store = new LocalObjectStore(join(dir, 'lake'), { fsync: false });
    const topic = `k.${uniqueTopic('sink')}`;
    const sink = () => new LakeSink({ log, store, topicsRegex: 'k\\..*', flushSize: 4, rotateIntervalMs: 300, topicScanIntervalMs: 50, logger });
    const send = async (from: number, to: number) =>
      landed(
        await log.append(
          topic,
          Array.from({ length: to - from }, (_, i) => ({ key: `user-${from + i}`, value: JSON.stringify({ i: from + i }) })),
        ),
      );
    const inLake = async (): Promise<Map<string, number[]>> => {
      const out = new Map<string, number[]>();
      for (const o of await store.list(`topics/${topic}/`))
        out.set(
          o.key,
          (await store.get(o.key))
            .toString()
            .split('\n')
            .filter(Boolean)
            .map((l) => (JSON.parse(l) as { i: number }).i),
        );
      return out;
    };
    try {
      await log.createTopic(topic, { partitions: 2 });
      const sent = await send(0, 10);
      assert.deepEqual(
        sent.map((r) => r.partition),
        sent.map((_, i) => keyPartition(`user-${i}`, 2)),
        "Kafka's partitioner and pinpipe's agree",
      );
      const first = sink();
      await first.start();
      await until(async () => [...(await inLake()).values()].flat().length === 10, 60_000, 'the first records'); // full objects, then idle ones closed on the clock
      await first.stop();
      // The group's position taken back to the end of each partition's first object, as after a crash
      // between writing the later objects and committing them.
      for (const [key, values] of await inLake()) {
        const m = /\+(\d)\+(\d{10})\.json$/.exec(key)!;
        if (Number(m[2]) === 0) await log.commitPositions(SINK_GROUP, [{ topic, partition: Number(m[1]), position: log.positionAt(values.length - 1) }]);
      }
      await send(10, 16);
      const second = sink();
      await second.start();
      await until(async () => [...(await inLake()).values()].flat().length >= 16, 60_000, 'the new records');
      await second.stop();
      const lake = await inLake();
      assert.deepEqual(
        [...lake.values()].flat().sort((a, b) => a - b),
        Array.from({ length: 16 }, (_, i) => i),
        `every record once: ${JSON.stringify([...lake])}`,
      );
      for (const [key, values] of lake) {
        const m = /^topics\/(.+)\/partition=(\d)\/\1\+(\d)\+(\d{10})\.json$/.exec(key);
        assert.ok(m && m[2] === m[3], `Connect name: ${key}`);
        const firstOffset = Number(m[4]);
        const read = [];
        for await (const batch of log.read(
          topic,
          Number(m[2]),
          { kind: 'at', position: log.positionAt(firstOffset) },
          { follow: false, maxRecords: values.length },
        ))
          read.push(...batch.map((r) => (JSON.parse(r.value) as { i: number }).i));
        assert.deepEqual(read.slice(0, values.length), values, `${key} starts at the Kafka offset of its first record`);
      }
      const committed = await log.fetchPositions(SINK_GROUP, topic);
      for (const p of [0, 1]) assert.equal(committed.get(p), await log.lastPosition(topic, p), `partition ${p}: the group is at the last record`);
    } finally {
      await log.close();
      cleanup();
    }
  });

  it('the stream job keeps its positions in the table and in its consumer group, and goes on from them after a restart', T, async () => {
    const log = await kafkaLogOn(broker(), 'pinpipe-stream-test');
    try {
      await streamJobRoundTrip(log, 2);
    } finally {
      await log.close();
    }
  });
});
