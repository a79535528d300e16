import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { parseConfig, type Config } from '../../src/core/config.js';
import { createLogger } from '../../src/core/logger.js';
import { DASHBOARD_OPEN_PATHS, dashboardPlugin, type PipelineStatus } from '../../src/dashboard/index.js';
import { ANALYTICS } from '../../src/analytics/index.js';
import { buildApp } from '../../src/ingest/app.js';
import { parseRunDate, runBatch, type BatchReport } from '../../src/jobs/batch/index.js';
import { LakeSink, LocalObjectStore } from '../../src/lake/index.js';
import { openSqliteLog, type SqliteLog } from '../../src/log/sqlite/sqlite-log.js';
import { canonicalRows, readDeltaTableIndependently, sortRows } from '../helpers/independent-delta.js';
import { tempDir } from '../helpers/temp.js';
import { emulatorPayloads } from '../jobs/batch/lake.js';
import { until } from '../jobs/stream/helpers.js';

const KEY = 'status-test-key';
const auth = { 'x-api-key': KEY };

let dir: string;
let cleanup: () => void;
let log: SqliteLog;
let store: LocalObjectStore;
let sink: LakeSink;
let app: FastifyInstance;
let config: Config;
let pageDir: string;

before(async () => {
  ({ dir, cleanup } = tempDir('pinpipe-status-api'));
  config = parseConfig({ dataDir: dir, prefix: 'st', api: { apiKeys: [KEY] } });
  log = await openSqliteLog({ path: join(dir, 'log', 'pinpipe.db'), fsync: 'off' });
  store = new LocalObjectStore(join(dir, 'lake'), { fsync: false });
  sink = new LakeSink({ log, store, topicsRegex: 'st\\..*', flushSize: 10, rotateIntervalMs: 100, topicScanIntervalMs: 50, logger: createLogger('silent') });
  await sink.start();
  pageDir = join(dir, 'page');
  mkdirSync(join(pageDir, 'assets'), { recursive: true });
  writeFileSync(join(pageDir, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(pageDir, 'assets', 'main-abc.js'), 'console.log(1)');
  app = await buildApp({
    config,
    log,
    logger: createLogger('silent'),
    plugins: [dashboardPlugin({ config, log, store, sink: () => sink, pageDir })],
    openPaths: DASHBOARD_OPEN_PATHS,
  });
  await app.ready();
});

after(async () => {
  await app.close();
  await sink.stop();
  await log.close();
  cleanup();
});

const status = async (): Promise<PipelineStatus> => {
  const res = await app.inject({ url: '/api/status', headers: auth });
  assert.equal(res.statusCode, 200, res.body);
  return res.json();
};

const produce = async (topic: string, values: unknown[]): Promise<void> => {
  const res = await app.inject({
    method: 'POST',
    url: `/topics/${topic}`,
    headers: { ...auth, 'content-type': 'application/vnd.kafka.json.v2+json' },
    payload: { records: values.map((value) => ({ value })) },
  });
  assert.equal(res.statusCode, 200, res.body);
};

describe('the status API', () => {
  it('wants the API key like every other route, and answers errors in the API shape', async () => {
    const none = await app.inject({ url: '/api/status' });
    assert.equal(none.statusCode, 401);
    assert.equal(none.json().error_code, 40101);
    const wrong = await app.inject({ url: '/api/results', headers: { 'x-api-key': 'not-the-key' } });
    assert.equal(wrong.statusCode, 403);
    const unknown = await app.inject({ url: '/api/results/nope', headers: auth });
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.json().error_code, 40430);
    assert.match(unknown.json().message, /popular_category_by_country/, 'the message lists the valid ids');
    const traversal = await app.inject({ url: '/api/results/..%2F..%2Flog', headers: auth });
    assert.equal(traversal.json().error_code, 40430);
  });

  it('serves the page and its assets without a key (the page asks for one), and nothing else', async () => {
    const page = await app.inject({ url: '/' });
    assert.equal(page.statusCode, 200);
    assert.match(page.headers['content-type'] as string, /text\/html/);
    assert.match(page.headers['content-security-policy'] as string, /script-src 'self'/);
    assert.equal((await app.inject({ url: '/assets/main-abc.js' })).statusCode, 200);
    assert.notEqual((await app.inject({ url: '/assets/..%2Findex.html' })).statusCode, 200);
    assert.equal((await app.inject({ url: '/assets/..%2Findex.html', headers: auth })).statusCode, 404);
    assert.equal((await app.inject({ url: '/assets/missing.js' })).statusCode, 404);
    assert.equal((await app.inject({ url: '/metrics' })).statusCode, 401);
  });

  it('reports the log, the lake sink and the rejects from the components, as data', async () => {
    const events = emulatorPayloads(25, { datasetRows: 40 });
    await produce('st.pin', [...events.pin.map((p) => JSON.parse(p)), 'not an object', { title: 'no index' }]);
    await produce(
      'st.geo',
      events.geo.map((p) => JSON.parse(p)),
    );
    await produce(
      'st.user',
      events.user.map((p) => JSON.parse(p)),
    );
    let s = await status();
    const pin = s.log.topics.find((t) => t.name === 'st.pin');
    assert.deepEqual([pin?.role, pin?.kind, pin?.records, pin?.end], ['topic', 'pin', 27, 27]);
    assert.deepEqual(
      s.log.topics.slice(0, 3).map((t) => t.name),
      ['st.pin', 'st.geo', 'st.user'],
      'the pipeline order',
    );
    assert.equal(s.health.status, 'ok');
    assert.equal(s.pinpipe.authRequired, true);
    await until(async () => (s = await status()).sink.lag === 0, 20_000, 'the sink to catch up');
    assert.equal(s.sink.state, 'running');
    assert.deepEqual(
      s.sink.partitions.map((p) => [p.topic, p.inLake]),
      [
        ['st.geo', 25],
        ['st.pin', 27],
        ['st.user', 25],
      ],
    );
    assert.equal(s.sink.recordsWritten, 77);

    const report: BatchReport = await runBatch({ store, prefix: 'st', date: parseRunDate('2024-06-01'), logger: createLogger('silent') });
    // The list of result sets is read at most every 2 s.
    await until(async () => (s = await status()).batch.results.every((r) => r.computedAt !== undefined), 10_000, 'the results to be listed');
    assert.deepEqual(
      s.rejects.batch.filter((r) => r.kind === 'pin').map((r) => [r.reason, r.count]),
      Object.entries(report.rejects.pin).sort(),
    );
    assert.deepEqual(s.rejects.stream, []);
    assert.equal(s.batch.job, 'st_dag');
    assert.equal(s.batch.results.filter((r) => r.computedAt !== undefined).length, ANALYTICS.length);
  });

  it('gives each result set exactly as the batch job stored it', async () => {
    const list = await app.inject({ url: '/api/results', headers: auth });
    assert.deepEqual(
      (list.json().results as { id: string }[]).map((r) => r.id),
      ANALYTICS.map((a) => a.id),
    );
    for (const a of ANALYTICS) {
      const res = await app.inject({ url: `/api/results/${a.id}`, headers: auth });
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json() as { id: string; columns: string[]; rows: Record<string, unknown>[]; version: number };
      assert.deepEqual(
        body.columns,
        a.columns.map((c) => c.name),
      );
      const independent = await readDeltaTableIndependently(join(dir, 'lake', 'results', a.id));
      assert.equal(body.version, independent.version);
      assert.deepEqual(sortRows(canonicalRows(body.rows, independent.schema)), sortRows(independent.rows), a.id);
      if (a.id === 'popular_category_by_country') assert.ok(body.rows.length > 5, 'a real result set');
    }
  });
});
