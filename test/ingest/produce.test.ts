import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { KAFKA_JSON, makeApp, type TestApp } from '../helpers/app.js';

const pin = {
  index: 7528,
  unique_id: 'fbe53c66-3442-4773-b19e-d3ec6f54dddf',
  title: 'No Title Data Available',
  description: 'Ünïcødé ✨ “quotes” | {braces}…\u00a0',
  follower_count: '51k',
};

// Every produce behaviour, with bodies parsed on the event loop and with every body sent to a parse thread.
for (const [mode, tag, parse] of [
  ['bodies parsed on the event loop', 'loop', { parseThreads: 0 }],
  ['every body parsed in a parse thread', 'thread', { parseThreads: 2, parseInlineBelowBytes: 0 }],
] as const)
  describe(`REST Proxy v2 produce (${mode})`, () => {
    let t: TestApp;
    before(async () => {
      t = await makeApp({ api: { maxRecordsPerRequest: 5, maxRecordBytes: 2000, maxBodyBytes: 50_000, ...parse } });
    });
    after(async () => t.close());

    const post = (url: string, body: unknown, contentType = KAFKA_JSON, headers: Record<string, string> = {}) =>
      t.app.inject({
        method: 'POST',
        url,
        headers: { 'content-type': contentType, ...headers },
        payload: typeof body === 'string' ? body : JSON.stringify(body),
      });

    for (const ct of [
      'application/vnd.kafka.json.v2+json',
      'application/vnd.kafka.v2+json',
      'application/json',
      'application/vnd.kafka.json.v2+json; charset=utf-8',
    ]) {
      it(`accepts ${ct} and answers with offsets in order`, async () => {
        const topic = `ct-${ct.length}`;
        const res = await post(`/topics/${topic}`, { records: [{ value: pin }, { value: { n: 2 } }, { key: 'k', value: [1, 'two'] }] }, ct);
        assert.equal(res.statusCode, 200, res.body);
        const body = res.json();
        assert.equal(body.key_schema_id, null);
        assert.equal(body.value_schema_id, null);
        assert.deepEqual(
          body.offsets,
          [0, 1, 2].map((o) => ({ partition: 0, offset: o, error_code: null, error: null })),
        );
        const got: string[] = [];
        for await (const batch of t.log.read(topic, 0, { kind: 'earliest' }, { follow: false })) got.push(...batch.map((r) => r.value));
        assert.deepEqual(
          got.map((v) => JSON.parse(v)),
          [pin, { n: 2 }, [1, 'two']],
        );
        assert.equal(got[0], JSON.stringify(pin), 'value stored as compact JSON with key order preserved');
      });
    }

    it('produces to an explicit partition path and keeps record order', async () => {
      await t.log.createTopic('three', { partitions: 3 });
      const res = await post('/topics/three/partitions/2', { records: [{ value: 1 }, { value: 2 }] });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(
        res.json().offsets.map((o: { partition: number; offset: number }) => [o.partition, o.offset]),
        [
          [2, 0],
          [2, 1],
        ],
      );
      const bad = await post('/topics/three/partitions/3', { records: [{ value: 1 }] });
      assert.equal(bad.statusCode, 404);
      assert.deepEqual(bad.json(), { error_code: 40402, message: 'Partition 3 of topic three not found.' });
    });

    it('reports per-record failures inside a 200 without losing the good records', async () => {
      await t.log.createTopic(`mixed-${tag}`, { partitions: 2 });
      const big = 'x'.repeat(3000);
      const res = await post(`/topics/mixed-${tag}`, {
        records: [{ value: 'ok-1' }, { key: 'no value' }, { value: big }, { value: 'ok-2', partition: 9 }, { value: 'ok-3', partition: 1 }],
      });
      assert.equal(res.statusCode, 200, res.body);
      const o = res.json().offsets;
      assert.equal(o.length, 5);
      assert.equal(o[0].error_code, null);
      assert.equal(o[1].error_code, 42202);
      assert.equal(o[2].error_code, 42203);
      assert.equal(o[3].error_code, 40402);
      assert.deepEqual([o[4].partition, o[4].error_code], [1, null]);
      for (const i of [1, 2, 3]) assert.deepEqual([o[i].partition, o[i].offset, typeof o[i].error], [null, null, 'string']);
    });

    it('refuses a wrong content type with 415 in the proxy error shape', async () => {
      const res = await post('/topics/x', { records: [{ value: 1 }] }, 'text/plain');
      assert.equal(res.statusCode, 415);
      assert.equal(res.json().error_code, 415);
      assert.equal(typeof res.json().message, 'string');
    });

    it('refuses malformed bodies with 42201', async () => {
      for (const body of ['{not json', '[]', '{"records": {}}', '{"records": []}', '{"value": 1}', 'null']) {
        const res = await post('/topics/x', body);
        assert.equal(res.statusCode, 422, body);
        assert.equal(res.json().error_code, 42201, body);
      }
    });

    it('enforces the records-per-request and body-size limits', async () => {
      const many = await post('/topics/x', { records: Array.from({ length: 6 }, (_, i) => ({ value: i })) });
      assert.equal(many.statusCode, 422);
      assert.equal(many.json().error_code, 42204);
      const huge = await post('/topics/x', { records: [{ value: 'y'.repeat(60_000) }] });
      assert.equal(huge.statusCode, 413);
      assert.equal(huge.json().error_code, 413);
    });

    it('validates topic names before they reach the log', async () => {
      // `..` and `.` are resolved away by URL normalisation before routing: they never name a topic.
      for (const name of ['%2E%2E', '.', '..%2F..%2Fetc']) {
        const res = await post(`/topics/${name}`, { records: [{ value: 1 }] });
        assert.ok(res.statusCode >= 400 && res.statusCode < 500, name);
      }
      for (const name of ['a%2Fb', 'a%5Cb', 'sp%20ace', 'x'.repeat(250), '%00', '..%2F..%2Fetc%2Fpasswd']) {
        const res = await post(`/topics/${name}`, { records: [{ value: 1 }] });
        assert.equal(res.statusCode, 422, name);
        assert.equal(res.json().error_code, 42205, name);
      }
      assert.equal(
        (await t.log.listTopics()).some((x) => x.name.includes('/') || x.name === '..'),
        false,
      );
    });

    it('lists and describes topics', async () => {
      const list = await t.app.inject({ method: 'GET', url: '/topics' });
      assert.ok(list.json().includes('three'));
      const d = await t.app.inject({ method: 'GET', url: '/topics/three' });
      assert.equal(d.json().partitions.length, 3);
      assert.equal((await t.app.inject({ method: 'GET', url: '/topics/none' })).json().error_code, 40401);
    });

    it('counts what it accepted and refused in /metrics', async () => {
      const m = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
      assert.match(m, new RegExp(`pinpipe_ingest_records_total\\{topic="mixed-${tag}"\\} 2`));
      assert.match(m, /pinpipe_ingest_rejected_records_total\{code="42203"\} [1-9]/);
      assert.match(m, /pinpipe_ingest_request_errors_total\{code="415"\} [1-9]/);
    });
  });

describe('topic auto-creation off', () => {
  it('answers 40401 for an unknown topic and produces to an existing one', async () => {
    const t = await makeApp({ api: { autoCreateTopics: false } });
    try {
      const res = await t.app.inject({ method: 'POST', url: '/topics/missing', headers: { 'content-type': KAFKA_JSON }, payload: '{"records":[{"value":1}]}' });
      assert.equal(res.statusCode, 404);
      assert.deepEqual(res.json(), { error_code: 40401, message: 'Topic missing not found.' });
      await t.log.createTopic('present');
      const ok = await t.app.inject({ method: 'POST', url: '/topics/present', headers: { 'content-type': KAFKA_JSON }, payload: '{"records":[{"value":1}]}' });
      assert.equal(ok.statusCode, 200);
    } finally {
      await t.close();
    }
  });
});

describe('store failures', () => {
  it('answers 50003 when the log cannot make records durable', async () => {
    const { PinpipeError } = await import('../../src/core/errors.js');
    const t = await makeApp({}, (log) =>
      Object.assign(Object.create(log) as typeof log, { append: async () => Promise.reject(new PinpipeError('STORE_UNAVAILABLE')) }),
    );
    try {
      const res = await t.app.inject({ method: 'POST', url: '/topics/x', headers: { 'content-type': KAFKA_JSON }, payload: '{"records":[{"value":1}]}' });
      assert.equal(res.statusCode, 500);
      assert.equal(res.json().error_code, 50003);
    } finally {
      await t.close();
    }
  });
});
