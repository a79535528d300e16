import assert from 'node:assert/strict';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { RunInfo } from '../../src/scheduler/index.js';
import { tempDir } from '../helpers/temp.js';
import { pinpipe } from '../jobs/batch/cli.js';
import { snapshotAll } from '../jobs/batch/tables.js';
import { lakeWithData } from './lake-data.js';

describe('the built-in DAG pinterest_dag through the CLI', () => {
  it('dag trigger --date D --wait runs read_lake → clean pin|geo|user in parallel → results, leaving the tables of `batch run --date D`', async () => {
    const tmp = tempDir('pinpipe-dag');
    try {
      const a = join(tmp.dir, 'a');
      const b = join(tmp.dir, 'b');
      lakeWithData(a);
      cpSync(a, b, { recursive: true });
      const trig = await pinpipe(['--data-dir', a, 'dag', 'trigger', 'pinterest_dag', '--date', '2024-05-01', '--wait']);
      assert.equal(trig.code, 0, trig.stdout + trig.stderr);
      assert.match(trig.stdout, /manual__2024-05-01T00:00:00\+00:00 {2}success/);
      const batch = await pinpipe(['--data-dir', b, 'batch', 'run', '--date', '2024-05-01']);
      assert.equal(batch.code, 0, batch.stderr);
      assert.deepEqual(await snapshotAll(join(a, 'lake')), await snapshotAll(join(b, 'lake')));

      const runs = await pinpipe(['--data-dir', a, 'dag', 'runs', 'pinterest_dag', '--format', 'json']);
      const [run] = JSON.parse(runs.stdout) as RunInfo[];
      assert.equal(run.ds, '2024-05-01');
      const t = Object.fromEntries(run.tasks.map((x) => [x.taskId, x.attempts[0]]));
      assert.deepEqual(Object.keys(t).sort(), ['clean_geo', 'clean_pin', 'clean_user', 'read_lake', 'results']);
      assert.ok(run.tasks.every((x) => x.state === 'success' && x.tryNumber === 1));
      const cleans = [t.clean_pin, t.clean_geo, t.clean_user];
      // In parallel: all three started before any ended, after read_lake; results after all three.
      assert.ok(Math.max(...cleans.map((c) => c.startDate)) <= Math.min(...cleans.map((c) => c.endDate!)));
      assert.ok(cleans.every((c) => c.startDate >= t.read_lake.endDate!) && cleans.every((c) => t.results.startDate >= c.endDate!));

      const list = await pinpipe(['--data-dir', a, 'dag', 'list']);
      assert.match(list.stdout, /pinterest_dag {2}@daily \(UTC\) {2}active {2}catchup off/);
      assert.match(list.stdout, /last run 2024-05-01 success/);
    } finally {
      tmp.cleanup();
    }
  });

  it('a failing run: --wait exits 1 and the run records the failed task, its error and its log lines; pause and unpause are recorded', async () => {
    const tmp = tempDir('pinpipe-dag-fail');
    try {
      const dir = join(tmp.dir, 'd');
      lakeWithData(dir, 50);
      const bad = join(dir, 'lake', 'topics', 'pinterest.geo', 'partition=0');
      mkdirSync(bad, { recursive: true });
      writeFileSync(join(bad, 'pinterest.geo+0+0000009000.json'), Buffer.from([0xff, 0xfe, 0x0a]));
      const env = { PINPIPE_SCHEDULER_RETRIES: '0' };
      const trig = await pinpipe(['--data-dir', dir, 'dag', 'trigger', 'pinterest_dag', '--date', '2024-05-02', '--wait'], env);
      assert.equal(trig.code, 1, trig.stdout + trig.stderr);
      assert.match(trig.stdout, /failed tasks: clean_geo, results/, trig.stdout + trig.stderr);
      assert.match(trig.stdout, /clean_geo +failed/, trig.stdout + trig.stderr);
      assert.match(trig.stdout, /results +upstream_failed/, trig.stdout + trig.stderr);
      assert.match(trig.stdout, /BATCH_OBJECT_UNREADABLE|cannot be read as UTF-8/, trig.stdout + trig.stderr);

      assert.equal((await pinpipe(['--data-dir', dir, 'dag', 'pause', 'pinterest_dag'])).code, 0);
      assert.match((await pinpipe(['--data-dir', dir, 'dag', 'list'])).stdout, /pinterest_dag .* paused/);
      assert.equal((await pinpipe(['--data-dir', dir, 'dag', 'unpause', 'pinterest_dag'])).code, 0);
      assert.match((await pinpipe(['--data-dir', dir, 'dag', 'list'])).stdout, /pinterest_dag .* active/);
      const unknown = await pinpipe(['--data-dir', dir, 'dag', 'runs', 'nope_dag']);
      assert.equal(unknown.code, 2);
      assert.match(unknown.stderr, /No DAG nope_dag/);
    } finally {
      tmp.cleanup();
    }
  });
});
