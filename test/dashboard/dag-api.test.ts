import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { parseConfig } from '../../src/core/config.js';
import { createLogger } from '../../src/core/logger.js';
import { DASHBOARD_OPEN_PATHS, dashboardPlugin, type DagRuns, type PipelineStatus } from '../../src/dashboard/index.js';
import { buildApp } from '../../src/ingest/app.js';
import { LocalObjectStore } from '../../src/lake/index.js';
import { openSqliteLog, type SqliteLog } from '../../src/log/sqlite/sqlite-log.js';
import { defineDag, Scheduler, SchedulerStore, type RunInfo } from '../../src/scheduler/index.js';
import { waitFor } from '../helpers/peers/index.js';
import { tempDir } from '../helpers/temp.js';

const KEY = 'dag-api-test-key';
const auth = { 'x-api-key': KEY };
let dir: string;
let cleanup: () => void;
let log: SqliteLog;
let store: SchedulerStore;
let scheduler: Scheduler;
let app: FastifyInstance;
let fail = false;
const ran: string[] = [];

before(async () => {
  ({ dir, cleanup } = tempDir('pinpipe-dag-api'));
  const config = parseConfig({ dataDir: dir, prefix: 'da', api: { apiKeys: [KEY] } });
  log = await openSqliteLog({ path: join(dir, 'log', 'pinpipe.db'), fsync: 'off' });
  store = new SchedulerStore(join(dir, 'scheduler.db'));
  const task = (id: string, upstream: string[] = []) => ({
    id,
    upstream,
    run: async (ctx: { ds: string }) => {
      if (fail && id === 'results') throw new Error('the results task broke');
      ran.push(`${id}@${ctx.ds}`);
    },
  });
  const dag = defineDag({ id: 'da_dag', tasks: [task('read'), task('clean_pin', ['read']), task('results', ['clean_pin'])] });
  scheduler = new Scheduler({ store, dags: [dag], logger: createLogger('silent'), pollMs: 100 });
  await scheduler.start();
  app = await buildApp({
    config,
    log,
    logger: createLogger('silent'),
    plugins: [dashboardPlugin({ config, log, store: new LocalObjectStore(join(dir, 'lake')), scheduler: () => scheduler })],
    openPaths: DASHBOARD_OPEN_PATHS,
  });
  await app.ready();
});

after(async () => {
  await app.close();
  await scheduler.stop();
  store.close();
  await log.close();
  cleanup();
});

const runs = async (): Promise<DagRuns> => (await app.inject({ url: '/api/dag/runs', headers: auth })).json();

describe('the DAG runs API', () => {
  it('triggers a run of the deployment DAG (with a key only) and reports it with its tasks until it succeeds', async () => {
    assert.equal((await app.inject({ method: 'POST', url: '/api/dag/runs', payload: {} })).statusCode, 401);
    const res = await app.inject({ method: 'POST', url: '/api/dag/runs', headers: auth, payload: { logical_date: '2026-05-04' } });
    assert.equal(res.statusCode, 200, res.body);
    const run = (res.json() as { run: RunInfo }).run;
    assert.deepEqual([run.dagId, run.runType, run.ds], ['da_dag', 'manual', '2026-05-04']);
    const done = await waitFor('the run to succeed', async () => (await runs()).runs.find((r) => r.runId === run.runId && r.state === 'success'), {
      timeoutMs: 30_000,
    });
    assert.deepEqual(
      done.tasks.map((t) => [t.taskId, t.state, t.attempts.length]),
      [
        ['read', 'success', 1],
        ['clean_pin', 'success', 1],
        ['results', 'success', 1],
      ],
    );
    assert.ok(done.tasks.every((t) => t.attempts[0].endDate! >= t.attempts[0].startDate));
    assert.deepEqual(ran, ['read@2026-05-04', 'clean_pin@2026-05-04', 'results@2026-05-04']);
    const all = await runs();
    assert.equal(all.dags[0].dagId, 'da_dag');
    const status = (await app.inject({ url: '/api/status', headers: auth })).json() as PipelineStatus;
    assert.equal(status.dag?.runs[0].runId, run.runId);
    assert.equal(status.health.status, 'ok');
  });

  it('refuses bad requests in the API error shape, and reports a failed run as degraded health', async () => {
    const bad = await app.inject({ method: 'POST', url: '/api/dag/runs', headers: auth, payload: { logical_date: '2026-02-30' } });
    assert.deepEqual([bad.statusCode, bad.json().error_code], [422, 42241]);
    const unknown = await app.inject({ method: 'POST', url: '/api/dag/runs', headers: auth, payload: { dag_id: 'nope' } });
    assert.deepEqual([unknown.statusCode, unknown.json().error_code], [404, 40440]);
    assert.equal((await app.inject({ url: '/api/dag/runs?limit=0', headers: auth })).statusCode, 422);
    fail = true;
    const res = await app.inject({ method: 'POST', url: '/api/dag/runs', headers: auth, payload: { logical_date: '2026-05-05' } });
    const id = (res.json() as { run: RunInfo }).run.runId;
    await waitFor('the run to fail', async () => (await runs()).runs.find((r) => r.runId === id && r.state === 'failed'), { timeoutMs: 30_000 });
    const status = (await app.inject({ url: '/api/status', headers: auth })).json() as PipelineStatus;
    assert.equal(status.health.status, 'degraded');
    assert.match(status.health.problems.join('\n'), /the last run of DAG da_dag .* failed/);
  });
});
