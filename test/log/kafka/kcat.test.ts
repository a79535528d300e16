// pinpipe's Kafka log and an independent client (kcat, librdkafka) read each other's records,
// and a key lands in the same partition through kcat (Kafka's murmur2 partitioner), the Kafka log
// and the embedded sqlite log.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openSqliteLog } from '../../../src/log/index.js';
import { kafkaPeer } from '../../helpers/peers/kafka.js';
import { kcat, kcatMissing } from '../../helpers/peers/kcat.js';
import { peerMissing } from '../../helpers/peers/peer.js';
import { landed, readAll, uniqueTopic } from '../log-contract.js';
import { kafkaLogOn } from './kafka-helpers.js';

const kafka = await kafkaPeer();
const noKcat = kcatMissing();
const T = { timeout: 120_000 };

describe('Kafka log and kcat', { skip: kafka.skip || (noKcat && peerMissing('kcat', noKcat)) }, () => {
  const broker = kafka.use();

  it('kcat reads what pinpipe wrote: keys, values, partitions and offsets', T, async () => {
    const log = await kafkaLogOn(broker());
    try {
      const topic = uniqueTopic('to-kcat');
      await log.createTopic(topic, { partitions: 3 });
      const records = Array.from({ length: 12 }, (_, i) => ({ key: `user-${i}`, value: JSON.stringify({ i, t: 'Ünïcødé ✨' }) }));
      const results = landed(await log.append(topic, records));
      const out = await kcat(broker().bootstrap, ['-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%k\t%s\t%p\t%o\n']);
      const seen = new Map(
        out
          .trim()
          .split('\n')
          .map((line) => {
            const [k, v, p, o] = line.split('\t');
            return [k, { v, p: Number(p), o }];
          }),
      );
      assert.equal(seen.size, 12);
      records.forEach((r, i) => assert.deepEqual(seen.get(r.key), { v: r.value, p: results[i].partition, o: results[i].position }));
    } finally {
      await log.close();
    }
  });

  it('pinpipe reads what kcat wrote, each key in the partition murmur2 gives it on both logs', T, async () => {
    const log = await kafkaLogOn(broker());
    const dir = mkdtempSync(join(tmpdir(), 'pinpipe-kcat-'));
    const sqlite = await openSqliteLog({ path: join(dir, 'log.db'), fsync: 'off' });
    try {
      const topic = uniqueTopic('from-kcat');
      await log.createTopic(topic, { partitions: 6 });
      await sqlite.createTopic(topic, { partitions: 6 });
      const keys = Array.from({ length: 60 }, (_, i) => `k-${i}-${'x'.repeat(i % 7)}`);
      // librdkafka's murmur2_random is the Java client's default partitioner for keyed records.
      const lines = keys.map((k, i) => `${k}|{"i":${i}}`).join('\n') + '\n';
      await kcat(broker().bootstrap, ['-P', '-t', topic, '-K', '|', '-X', 'topic.partitioner=murmur2_random'], lines);
      const kcatPartition = new Map<string, number>();
      for (let p = 0; p < 6; p++) for (const r of await readAll(log, topic, p)) kcatPartition.set(r.key!, p);
      assert.equal(kcatPartition.size, keys.length, 'pinpipe reads every record kcat wrote');
      assert.ok(new Set(kcatPartition.values()).size > 1, 'keys spread over partitions');
      const viaKafkaLog = landed(
        await log.append(
          topic,
          keys.map((key) => ({ key, value: '{}' })),
        ),
      );
      const viaSqlite = landed(
        await sqlite.append(
          topic,
          keys.map((key) => ({ key, value: '{}' })),
        ),
      );
      keys.forEach((k, i) => {
        assert.equal(viaKafkaLog[i].partition, kcatPartition.get(k), `Kafka log: ${k}`);
        assert.equal(viaSqlite[i].partition, kcatPartition.get(k), `sqlite log: ${k}`);
      });
      const back = await readAll(log, topic, kcatPartition.get(keys[5])!);
      assert.ok(back.some((r) => r.key === keys[5] && r.value === '{"i":5}'));
    } finally {
      await log.close();
      await sqlite.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
