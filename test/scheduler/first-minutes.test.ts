import assert from 'node:assert/strict';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { SchedulerStore } from '../../src/scheduler/index.js';
import { startPinpipe } from '../helpers/server.js';
import { tempDir } from '../helpers/temp.js';
import { pinpipe } from '../jobs/batch/cli.js';

describe('the first five minutes: pinpipe up --emulate', () => {
  it('closes lake objects and runs the batch DAG on its demo schedule, so `pinpipe query popular_category_by_country` soon has rows', async () => {
    const tmp = tempDir('pinpipe-first');
    const dataDir = join(tmp.dir, 'data');
    const up = await startPinpipe(['--data-dir', dataDir, 'up', '--emulate', '--port', '0'], { PINPIPE_LOG_FSYNC: 'off' }, 120_000);
    try {
      assert.match(up.output(), /demo schedule: every 15 s .*lake objects close every 5 s, so results appear within a minute/);
      // The bound is generous (the machine is shared): this checks that the schedule gets there by itself, not how fast.
      let rows: unknown[] = [];
      for (let i = 0; rows.length === 0; i++) {
        assert.ok(i < 60, `no rows after ${i * 5} s:\n${up.output().slice(-3000)}`);
        await sleep(5000);
        const q = await pinpipe(['--data-dir', dataDir, 'query', 'popular_category_by_country', '--format', 'json']);
        if (q.code === 0) rows = JSON.parse(q.stdout) as unknown[];
      }
      assert.ok(rows.length > 0);
      const store = new SchedulerStore(join(dataDir, 'scheduler', 'scheduler.db'));
      try {
        const runs = store.listRuns('pinterest_dag');
        assert.ok(runs.length >= 2, 'several runs on the demo schedule');
        assert.ok(
          runs.every((r) => r.runType === 'scheduled'),
          'nothing but the schedule ran the DAG',
        );
        // Consecutive scheduled logical dates are 15 s apart (the demo schedule).
        const dates = runs.map((r) => r.logicalDate).sort((a, b) => a - b);
        assert.ok(dates.slice(1).every((d, i) => (d - dates[i]) % 15_000 === 0));
      } finally {
        store.close();
      }
    } finally {
      await up.stop();
      tmp.cleanup();
    }
  });
});
