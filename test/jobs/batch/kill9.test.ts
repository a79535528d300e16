import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../../../src/core/logger.js';
import { parseRunDate, runBatch } from '../../../src/jobs/batch/index.js';
import { LocalObjectStore } from '../../../src/lake/index.js';
import { RECORD_KINDS } from '../../../src/transforms/index.js';
import { tempDir } from '../../helpers/temp.js';
import { pinpipe } from './cli.js';
import { BAD_LINES, emulatorPayloads, writePartition } from './lake.js';
import { ALL_TABLES, snapshotAll } from './tables.js';

const DATE = '2024-07-01';
let root: string;
let template: string;
let clean: Record<string, unknown>;
let cleanSeconds: number;
let cleanup: () => void;

before(async () => {
  ({ dir: root, cleanup } = tempDir('pinpipe-batch-kill9'));
  template = join(root, 'template');
  // 60,000 events from a 3,000-row dataset, 500 records per object, two partitions; a few rejects.
  const payloads = emulatorPayloads(60_000, { datasetRows: 3000, sampleSeed: 9 });
  for (const kind of RECORD_KINDS) {
    const lines = [...payloads[kind].slice(0, 30_000), ...BAD_LINES[kind], ...payloads[kind].slice(30_000)];
    writePartition(join(template, 'lake'), `pinterest.${kind}`, 0, lines.slice(0, 30_000), 500);
    writePartition(join(template, 'lake'), `pinterest.${kind}`, 1, lines.slice(30_000), 500);
  }
  const reference = join(root, 'reference');
  cpSync(template, reference, { recursive: true });
  const t0 = performance.now();
  await runBatch({
    store: new LocalObjectStore(join(reference, 'lake')),
    prefix: 'pinterest',
    date: parseRunDate(DATE),
    duckdb: { threads: 2 },
    logger: createLogger('silent'),
  });
  cleanSeconds = (performance.now() - t0) / 1000;
  clean = await snapshotAll(join(reference, 'lake'));
});
after(() => cleanup());

/** Start `pinpipe batch run --date DATE` and SIGKILL it when `when` resolves; resolves with how it ended. */
async function runAndKill(data: string, when: (stopped: () => boolean) => Promise<void>): Promise<'killed' | 'finished'> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--data-dir', data, 'batch', 'run', '--date', DATE], {
    env: { ...process.env, PINPIPE_LOG_LEVEL: 'silent' },
    stdio: 'ignore',
  });
  let exited = false;
  const exit = new Promise<NodeJS.Signals | null>((resolve) => proc.on('exit', (_code, signal) => ((exited = true), resolve(signal))));
  await Promise.race([when(() => exited), exit]);
  if (!exited) proc.kill('SIGKILL');
  return (await exit) === 'SIGKILL' ? 'killed' : 'finished';
}

/** Resolves as soon as the lake holds `key` (polled every millisecond). */
async function appears(lake: string, key: string, stopped: () => boolean): Promise<void> {
  while (!existsSync(join(lake, key)) && !stopped()) await sleep(1);
}

const commit = (table: string, v = 1) => `${table}/_delta_log/${String(v).padStart(20, '0')}.json`;

describe('kill -9 during a batch run', () => {
  const trials: { name: string; when: (lake: string) => (stopped: () => boolean) => Promise<void> }[] = [
    { name: 'right after the pin commit', when: (lake) => (s) => appears(lake, commit('tables/pin'), s) },
    { name: 'right after the geo commit', when: (lake) => (s) => appears(lake, commit('tables/geo'), s) },
    { name: 'right after the user commit', when: (lake) => (s) => appears(lake, commit('tables/user'), s) },
    { name: 'right after the rejects commit', when: (lake) => (s) => appears(lake, commit('tables/rejects'), s) },
    { name: 'between two result commits', when: (lake) => (s) => appears(lake, commit('results/most_followed_user_by_country'), s) },
    {
      name: 'as a data file of the user table appears',
      when: (lake) => async (s) => {
        await appears(lake, commit('tables/geo'), s);
        await sleep(Math.random() * 30);
      },
    },
    // The run starts by creating the tables (version 0); then kill at a random point of a clean run's duration.
    ...Array.from({ length: 6 }, (_, i) => ({
      name: `at a random moment (${i + 1})`,
      when: (lake: string) => async (s: () => boolean) => {
        await appears(lake, commit('tables/pin', 0), s);
        await sleep(Math.random() * cleanSeconds * 1000 * 1.1);
      },
    })),
  ];
  let killed = 0;
  for (const [i, trial] of trials.entries()) {
    it(`${trial.name}: a rerun leaves every table as a clean run does`, async (t) => {
      const data = join(root, `trial-${i}`);
      cpSync(template, data, { recursive: true });
      const lake = join(data, 'lake');
      const ended = await runAndKill(data, trial.when(lake));
      if (ended === 'killed') killed++;
      t.diagnostic(
        `${ended}; tables committed before the rerun: ${ALL_TABLES.filter((k) => existsSync(join(lake, commit(k)))).length} of ${ALL_TABLES.length}`,
      );
      if (i % 3 === 0 && (await runAndKill(data, (st) => appears(lake, commit('tables/user'), st))) === 'killed') killed++; // a second crash, in the rerun
      const rerun = await pinpipe(['--data-dir', data, 'batch', 'run', '--date', DATE]);
      assert.equal(rerun.code, 0, rerun.stderr);
      assert.deepEqual(await snapshotAll(lake), clean);
    });
  }
  it('killed most runs mid-way (the trials tested something)', () => {
    assert.ok(killed >= trials.length - 3, `only ${killed} of the runs were killed before they finished`);
  });
});
