import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateRow, runEmulator } from '../../src/emulator/index.js';
import { startFakeApi, success } from './fake-api.js';

const KIND = /(pin|geo|user)(\/records?)?$/;
const kindOf = (path: string): string => KIND.exec(path)![1];

describe('runEmulator: batch mode (Kafka REST Proxy v2)', () => {
  it('posts pin, geo then user of one row, one record per request, like the original', async () => {
    const api = await startFakeApi();
    try {
      const r = await runEmulator({ url: api.url, prefix: 'abc123', rows: 500, seed: 9, iterations: 5, noSleep: true, apiKey: 'secret-key-1' });
      assert.deepEqual(r.errors, {});
      assert.equal(r.iterations, 5);
      assert.equal(r.requests, 15);
      assert.equal(r.recordsSent, 15);
      assert.equal(r.recordsAcked, 15);
      assert.equal(r.recordsFailed, 0);
      assert.deepEqual(
        api.received.map((q) => q.path),
        Array(5).fill(['/topics/abc123.pin', '/topics/abc123.geo', '/topics/abc123.user']).flat(),
      );
      for (const q of api.received) {
        assert.equal(q.method, 'POST');
        assert.equal(q.headers['content-type'], 'application/vnd.kafka.json.v2+json');
        assert.equal(q.headers.authorization, 'Bearer secret-key-1');
        assert.deepEqual(Object.keys(q.body), ['records']);
        assert.equal(q.body.records.length, 1);
        assert.deepEqual(Object.keys(q.body.records[0]), ['value']);
      }
      for (let i = 0; i < 5; i++) {
        const [pin, geo, user] = api.received.slice(3 * i, 3 * i + 3).map((q) => q.body.records[0].value);
        const index = pin.index as number;
        assert.ok(index >= 0 && index < 500);
        const row = generateRow(index, 9);
        assert.equal(JSON.stringify(pin), JSON.stringify(row.pin));
        assert.equal(JSON.stringify(geo), JSON.stringify(row.geo));
        assert.equal(JSON.stringify(user), JSON.stringify(row.user));
      }
    } finally {
      await api.close();
    }
  });

  it('groups batchSize records per request per topic, keeping the rows aligned', async () => {
    const api = await startFakeApi();
    try {
      const r = await runEmulator({ url: api.url, rows: 1000, iterations: 10, batchSize: 4, noSleep: true });
      assert.equal(r.iterations, 10);
      assert.equal(r.requests, 9);
      assert.equal(r.recordsAcked, 30);
      assert.deepEqual(
        api.received.map((q) => q.body.records.length),
        [4, 4, 4, 4, 4, 4, 2, 2, 2],
      );
      for (let g = 0; g < 3; g++) {
        const [pin, geo, user] = api.received.slice(3 * g, 3 * g + 3);
        assert.deepEqual([pin.path, geo.path, user.path], ['/topics/pinterest.pin', '/topics/pinterest.geo', '/topics/pinterest.user']);
        const inds = pin.body.records.map((x: { value: { index: number } }) => x.value.index);
        assert.deepEqual(
          geo.body.records.map((x: { value: { ind: number } }) => x.value.ind),
          inds,
        );
        assert.deepEqual(
          user.body.records.map((x: { value: { ind: number } }) => x.value.ind),
          inds,
        );
      }
      assert.equal(api.received[0].headers.authorization, undefined);
    } finally {
      await api.close();
    }
  });

  it('counts per-record errors inside a 200 and whole-request failures, and goes on', async () => {
    const api = await startFakeApi((q) => {
      if (q.path.endsWith('.geo')) {
        const ok = success(q).body as { offsets: { error_code: number | null; error: string | null }[] };
        ok.offsets[1] = { ...ok.offsets[1], error_code: 50003, error: 'retriable store error' };
        return { status: 200, body: ok };
      }
      if (q.path.endsWith('.user')) return { status: 500, body: { error_code: 50001, message: 'Internal error.' } };
      return undefined;
    });
    try {
      const r = await runEmulator({ url: api.url, iterations: 6, batchSize: 3, noSleep: true, backoffMs: 1 });
      assert.equal(r.requests, 6);
      assert.equal(r.recordsSent, 18);
      assert.equal(r.recordsAcked, 6 + 4);
      assert.equal(r.recordsFailed, 2 + 6);
      assert.deepEqual(r.errors, { 'record:50003': 2, '500': 6 });
    } finally {
      await api.close();
    }
  });

  it('escapes non-ASCII as \\uXXXX when asked, like Python json.dumps', async () => {
    const api = await startFakeApi();
    try {
      await runEmulator({ url: api.url, rows: 50, iterations: 30, noSleep: true, asciiJson: true });
      const raw = api.received.map((q) => q.raw).join('');
      assert.doesNotMatch(raw, /[^\x00-\x7f]/); // eslint-disable-line no-control-regex -- ASCII is the point
      assert.match(raw, /\\u[0-9a-f]{4}/);
      for (const q of api.received.filter((x) => x.path.endsWith('.pin'))) {
        const v = q.body.records[0].value;
        assert.equal(JSON.stringify(v), JSON.stringify(generateRow(v.index, 42).pin));
      }
    } finally {
      await api.close();
    }
  });
});

describe('runEmulator: stream mode (API-Gateway Kinesis shape)', () => {
  it('PUTs each record to /streams/streaming-<prefix>-<kind>/record', async () => {
    const api = await startFakeApi();
    try {
      const r = await runEmulator({ url: `${api.url}/`, mode: 'stream', prefix: 'p1', iterations: 3, noSleep: true });
      assert.equal(r.recordsAcked, 9);
      assert.deepEqual(
        api.received.slice(0, 3).map((q) => q.path),
        ['/streams/streaming-p1-pin/record', '/streams/streaming-p1-geo/record', '/streams/streaming-p1-user/record'],
      );
      for (const q of api.received) {
        assert.equal(q.method, 'PUT');
        assert.equal(q.headers['content-type'], 'application/json');
        assert.deepEqual(Object.keys(q.body), ['StreamName', 'Data', 'PartitionKey']);
        assert.equal(q.body.StreamName, `streaming-p1-${kindOf(q.path)}`);
        assert.equal(typeof q.body.PartitionKey, 'string');
        assert.equal(q.body.PartitionKey, String(q.body.Data.index ?? q.body.Data.ind));
      }
    } finally {
      await api.close();
    }
  });

  it('PUTs batches to /records and counts records the reply marks failed', async () => {
    const api = await startFakeApi((q) => {
      if (!q.path.includes('-user/')) return undefined;
      const Records = (q.body.records as unknown[]).map((_, i) =>
        i === 0
          ? { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'slow down' }
          : { SequenceNumber: String(i), ShardId: 'shardId-000000000000' },
      );
      return { status: 200, body: { FailedRecordCount: 1, Records } };
    });
    try {
      const r = await runEmulator({ url: api.url, mode: 'stream', iterations: 4, batchSize: 2, noSleep: true });
      assert.equal(r.requests, 6);
      assert.deepEqual(
        api.received.map((q) => q.path.split('/').slice(2).join('/')),
        [
          'streaming-pinterest-pin/records',
          'streaming-pinterest-geo/records',
          'streaming-pinterest-user/records',
          'streaming-pinterest-pin/records',
          'streaming-pinterest-geo/records',
          'streaming-pinterest-user/records',
        ],
      );
      for (const q of api.received) {
        assert.deepEqual(Object.keys(q.body), ['records']);
        for (const rec of q.body.records) assert.deepEqual(Object.keys(rec), ['data', 'partition-key']);
      }
      assert.equal(r.recordsAcked, 10);
      assert.deepEqual(r.errors, { 'record:ProvisionedThroughputExceededException': 2 });
    } finally {
      await api.close();
    }
  });
});

describe('runEmulator: pacing, limits and failures', () => {
  it('survives a refused connection, counting every record as failed', async () => {
    const api = await startFakeApi();
    const url = api.url;
    await api.close();
    const r = await runEmulator({ url, iterations: 2, noSleep: true, backoffMs: 1 });
    assert.equal(r.requests, 6);
    assert.equal(r.recordsAcked, 0);
    assert.deepEqual(r.errors, { ECONNREFUSED: 6 });
  });

  it('stops at durationMs while sleeping 0-1 s between iterations by default', async () => {
    const api = await startFakeApi();
    try {
      const r = await runEmulator({ url: api.url, durationMs: 300 });
      assert.ok(r.durationMs >= 290 && r.durationMs < 2000, String(r.durationMs));
      assert.ok(r.iterations <= 3);
      assert.equal(r.recordsSent, r.iterations * 3);
    } finally {
      await api.close();
    }
  });

  it('stops when its signal is aborted', async () => {
    const api = await startFakeApi();
    try {
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 150);
      const r = await runEmulator({ url: api.url, noSleep: true, signal: ac.signal });
      assert.ok(r.iterations > 0);
      assert.equal(r.recordsAcked + r.recordsFailed, r.recordsSent);
      assert.equal(r.recordsFailed, r.errors.aborted ?? 0);
    } finally {
      await api.close();
    }
  });

  it('paces iterations at ratePerSec', async () => {
    const api = await startFakeApi();
    try {
      const r = await runEmulator({ url: api.url, iterations: 6, ratePerSec: 20 });
      assert.equal(r.iterations, 6);
      assert.ok(r.durationMs >= 240, `6 iterations at 20/s took ${r.durationMs} ms`);
    } finally {
      await api.close();
    }
  });

  it('keeps up to `concurrency` requests in flight, each row still pin → geo → user', async () => {
    const api = await startFakeApi(() => undefined, 20);
    const progress: number[] = [];
    try {
      const r = await runEmulator({
        url: api.url,
        rows: 1_000_000,
        iterations: 12,
        concurrency: 3,
        noSleep: true,
        onProgress: (s) => progress.push(s.iterations),
      });
      assert.equal(r.recordsAcked, 36);
      assert.equal(api.maxInFlight(), 3);
      assert.deepEqual(
        progress,
        [...Array(12).keys()].map((i) => i + 1),
      );
      const first = new Map<string, number>();
      api.received.forEach((q, i) => {
        const v = q.body.records[0].value;
        const key = `${v.index ?? v.ind}:${kindOf(q.path)}`;
        if (!first.has(key)) first.set(key, i);
      });
      for (const [key, at] of first) {
        const [ind, kind] = key.split(':');
        if (kind === 'geo') assert.ok(first.get(`${ind}:pin`)! < at);
        if (kind === 'user') assert.ok(first.get(`${ind}:geo`)! < at);
      }
    } finally {
      await api.close();
    }
  });
});
