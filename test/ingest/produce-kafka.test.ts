// The REST Proxy produce API on the Kafka log: answers carry Kafka's own partition and offset,
// and while the broker is down the API answers a retriable 503 in the proxy's error shape.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig } from '../../src/core/config.js';
import { createLogger } from '../../src/core/logger.js';
import { buildApp } from '../../src/ingest/app.js';
import { openOffsetLogUrl } from '../../src/log/index.js';
import { kafkaPeer } from '../helpers/peers/kafka.js';
import { kcat, kcatMissing } from '../helpers/peers/kcat.js';
import { peerMissing } from '../helpers/peers/peer.js';
import { KAFKA_JSON } from '../helpers/app.js';

const kafka = await kafkaPeer();
const noKcat = kcatMissing();

describe('produce API on Kafka', { skip: kafka.skip || (noKcat && peerMissing('kcat', noKcat)) }, () => {
  const broker = kafka.use();

  it('answers with the partition and offset Kafka gave each record, and 503 while the broker is down', { timeout: 240_000 }, async () => {
    const b = broker();
    const config = parseConfig({ log: { url: b.url, defaultPartitions: 3, kafka: { requestTimeoutMs: 3000 } }, api: { parseThreads: 0 } });
    const log = await openOffsetLogUrl(b.url, config.log);
    const app = await buildApp({ config, log, logger: createLogger('silent') });
    try {
      const topic = `api-${Date.now()}`;
      const post = (records: unknown[]) =>
        app.inject({ method: 'POST', url: `/topics/${topic}`, headers: { 'content-type': KAFKA_JSON }, payload: JSON.stringify({ records }) });
      const records = Array.from({ length: 9 }, (_, i) => ({ key: `k${i}`, value: { i } }));
      const first = await post(records);
      assert.equal(first.statusCode, 200, first.body);
      const offsets = (first.json() as { offsets: { partition: number; offset: number; error_code: null }[] }).offsets;
      const second = (await post(records.slice(0, 3))).json() as { offsets: { partition: number; offset: number }[] };
      // JSON keys are stored as their JSON text, as the REST Proxy does.
      const lines = await kcat(b.bootstrap, ['-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%p %o %k %s\n']);
      const seen = new Set(lines.trim().split('\n'));
      assert.equal(seen.size, 12);
      records.forEach((r, i) =>
        assert.ok(seen.has(`${offsets[i].partition} ${offsets[i].offset} "${r.key}" {"i":${i}}`), `record ${i} at ${JSON.stringify(offsets[i])}`),
      );
      second.offsets.forEach((o, i) => {
        assert.equal(o.partition, offsets[i].partition, 'a key keeps its partition');
        assert.ok(seen.has(`${o.partition} ${o.offset} "k${i}" {"i":${i}}`));
      });

      await b.pause();
      const down = await post([{ value: { during: 'outage' } }]);
      assert.equal(down.statusCode, 503, down.body);
      assert.equal((down.json() as { error_code: number }).error_code, 50302);
      await b.resume();
      let after = await post([{ value: { after: 'outage' } }]);
      for (let i = 0; i < 20 && after.statusCode !== 200; i++) {
        await new Promise((r) => setTimeout(r, 500));
        after = await post([{ value: { after: 'outage' } }]);
      }
      assert.equal(after.statusCode, 200, after.body);
    } finally {
      await app.close();
      await log.close();
    }
  });
});
