// The Kafka peer: a real broker that an independent client (kcat) writes to and reads from.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Admin } from '@platformatic/kafka';
import { kafkaPeer } from './kafka.js';
import { kcat, kcatMissing } from './kcat.js';
import { peerMissing } from './peer.js';

const kafka = await kafkaPeer();
const noKcat = kcatMissing();

describe('Kafka peer', { skip: kafka.skip || (noKcat && peerMissing('kcat', noKcat)) }, () => {
  const broker = kafka.use();
  const T = { timeout: 180_000 };

  it('serves a KRaft broker that kcat writes to and reads from, and keeps the data across a pause', T, async () => {
    const b = broker();
    assert.match(await kcat(b.bootstrap, ['-L', '-J']), /"brokers":\[\{"id":1,"name":"127\.0\.0\.1:\d+"/);
    const topic = `peer-${Date.now()}`;
    const admin = new Admin({ clientId: 'peer-test', bootstrapBrokers: [b.bootstrap] });
    try {
      await admin.createTopics({ topics: [topic], partitions: 2, replicas: 1 });
    } finally {
      await admin.close();
    }
    await kcat(b.bootstrap, ['-P', '-t', topic, '-p', '1', '-K', ':'], 'k1:{"a":1}\nk2:{"b":2}\n');
    const read = () => kcat(b.bootstrap, ['-C', '-t', topic, '-p', '1', '-o', 'beginning', '-e', '-q', '-f', '%k %s %o\n']);
    assert.equal(await read(), 'k1 {"a":1} 0\nk2 {"b":2} 1\n');
    await b.pause();
    await assert.rejects(kcat(b.bootstrap, ['-L', '-m', '3'], '', 20_000));
    await b.resume();
    assert.equal(await read(), 'k1 {"a":1} 0\nk2 {"b":2} 1\n');
  });
});
