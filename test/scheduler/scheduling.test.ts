import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { harness, recorder } from './harness.js';

const day = 24 * 3600_000;

describe('scheduling: data intervals, catchup, one active run, triggers, pause', () => {
  it('catchup off (the default): only the latest complete interval runs, then each new one when it ends', async () => {
    const r = recorder();
    const h = await harness([{ id: 'd', schedule: '@daily', startDate: Date.parse('2024-05-01T00:00Z'), tasks: [r.task('a')] }], '2024-05-05T10:00:00Z');
    try {
      await h.clock.until(() => h.runs('d').every((x) => x.state === 'success') && h.runs('d').length === 1);
      const [run] = h.runs('d');
      assert.equal(run.runId, 'scheduled__2024-05-04T00:00:00+00:00');
      assert.equal(run.ds, '2024-05-04');
      assert.deepEqual([run.dataIntervalStart, run.dataIntervalEnd], [Date.parse('2024-05-04T00:00Z'), Date.parse('2024-05-05T00:00Z')]);
      // Nothing more until the next interval ends at midnight.
      await h.clock.advance(13 * 3600_000);
      assert.equal(h.runs('d').length, 1);
      await h.clock.until(() => h.runs('d').length === 2 && h.runs('d')[1].state === 'success', day);
      assert.equal(h.runs('d')[1].ds, '2024-05-05');
      assert.equal(h.clock.now() >= Date.parse('2024-05-06T00:00Z'), true);
      assert.deepEqual(
        r.calls.map((c) => c.ds),
        ['2024-05-04', '2024-05-05'],
      );
    } finally {
      await h.close();
    }
  });

  it('catchup on: a run for every interval since startDate, one at a time, in order', async () => {
    const r = recorder();
    const spec = { id: 'd', schedule: '@daily', catchup: true, startDate: Date.parse('2024-05-01T00:00Z'), tasks: [r.task('a'), r.task('b', ['a'])] };
    const h = await harness([spec], '2024-05-04T10:00:00Z');
    try {
      await h.clock.until(() => h.runs('d').length === 3 && h.runs('d').every((x) => x.state === 'success'));
      assert.deepEqual(
        h.runs('d').map((x) => x.ds),
        ['2024-05-01', '2024-05-02', '2024-05-03'],
      );
      // maxActiveRuns 1: each run ended before the next started, and b ran after a.
      const runs = h.runs('d');
      for (let i = 1; i < runs.length; i++) assert.ok(runs[i].startDate! >= runs[i - 1].endDate!);
      assert.deepEqual(
        r.calls.map((c) => `${c.ds}/${c.task}`),
        ['2024-05-01/a', '2024-05-01/b', '2024-05-02/a', '2024-05-02/b', '2024-05-03/a', '2024-05-03/b'],
      );
      assert.deepEqual(
        h.store.taskLog(runs[0].runId, 'a').map((l) => l.line),
        ['ran a for 2024-05-01'],
      );
    } finally {
      await h.close();
    }
  });

  it('a manual trigger gets Airflow manual semantics; a second trigger of the same date is refused; a paused DAG holds its runs', async () => {
    const r = recorder();
    const h = await harness([{ id: 'm', schedule: '@daily', tasks: [r.task('a')] }], '2024-05-05T10:00:00Z', { scheduling: false });
    try {
      h.scheduler.pause('m');
      const run = h.scheduler.trigger('m', Date.parse('2024-05-01T00:00Z'));
      assert.equal(run.runId, 'manual__2024-05-01T00:00:00+00:00');
      assert.deepEqual([run.dataIntervalStart, run.dataIntervalEnd], [Date.parse('2024-04-30T00:00Z'), Date.parse('2024-05-01T00:00Z')]);
      assert.throws(() => h.scheduler.trigger('m', Date.parse('2024-05-01T00:00Z')), /already has a run/);
      await h.clock.advance(60_000);
      assert.equal(h.store.getRun(run.runId).state, 'queued');
      assert.equal(h.scheduler.listDags()[0].paused, true);
      h.scheduler.unpause('m');
      await h.clock.until(() => h.store.getRun(run.runId).state === 'success');
      assert.equal(r.calls.length, 1);
      assert.equal(h.runs('m').length, 1, 'scheduling: false creates no scheduled runs');
    } finally {
      await h.close();
    }
  });

  it('backfill of a range: one run per interval in [from, to], oldest first, existing dates left alone', async () => {
    const r = recorder();
    const h = await harness([{ id: 'b', schedule: '@daily', tasks: [r.task('a')] }], '2024-06-01T10:00:00Z', { scheduling: false });
    try {
      h.scheduler.trigger('b', Date.parse('2024-05-03T00:00Z'));
      const { queued, existing } = h.scheduler.backfill('b', Date.parse('2024-05-01T00:00Z'), Date.parse('2024-05-05T00:00Z'));
      assert.deepEqual(
        queued.map((x) => x.ds),
        ['2024-05-01', '2024-05-02', '2024-05-04', '2024-05-05'],
      );
      assert.deepEqual(existing, [Date.parse('2024-05-03T00:00Z')]);
      await h.clock.until(() => h.runs('b').every((x) => x.state === 'success'));
      assert.deepEqual(
        r.calls.map((c) => c.ds),
        ['2024-05-01', '2024-05-02', '2024-05-03', '2024-05-04', '2024-05-05'],
      );
      assert.ok(h.runs('b').every((x) => x.runType === (x.ds === '2024-05-03' ? 'manual' : 'backfill')));
    } finally {
      await h.close();
    }
  });

  it('a failed task fails the run and marks its downstream upstream_failed; parallel tasks run side by side', async () => {
    let running = 0;
    let most = 0;
    const slow = (id: string) => ({
      id,
      upstream: ['start'],
      run: async () => {
        running++;
        most = Math.max(most, running);
        await new Promise((res) => setImmediate(res));
        running--;
        if (id === 'p2') throw new Error('p2 broke');
      },
    });
    const spec = {
      id: 'f',
      tasks: [{ id: 'start', run: async () => {} }, slow('p1'), slow('p2'), slow('p3'), { id: 'end', upstream: ['p1', 'p2', 'p3'], run: async () => {} }],
    };
    const h = await harness([spec], '2024-05-05T10:00:00Z');
    try {
      const run = h.scheduler.trigger('f');
      const done = await h.scheduler.waitForRun(run.runId);
      assert.equal(done.state, 'failed');
      assert.equal(done.error, 'failed tasks: p2, end');
      assert.deepEqual(Object.fromEntries(done.tasks.map((t) => [t.taskId, t.state])), {
        start: 'success',
        p1: 'success',
        p2: 'failed',
        p3: 'success',
        end: 'upstream_failed',
      });
      assert.match(done.tasks.find((t) => t.taskId === 'p2')!.attempts[0].error!, /p2 broke/);
      assert.equal(most, 3);
    } finally {
      await h.close();
    }
  });
});
