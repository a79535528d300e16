import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { generateRow } from '../../../src/emulator/index.js';
import { type LocalObjectStore } from '../../../src/lake/local/local-store.js';
import { expectedRows, FaultStore, isCommitOf, jobEnv, put, readTable, sortByInd, TABLES, until, type JobEnv } from './helpers.js';

let env: JobEnv;
let store: FaultStore;
beforeEach(async () => {
  env = await jobEnv();
  store = new FaultStore(env.store as LocalObjectStore);
});
afterEach(() => env.cleanup());

const pins = (ids: readonly number[]): string[] => ids.map((i) => JSON.stringify(generateRow(i, 3).pin));
const range = (from: number, n: number): number[] => Array.from({ length: n }, (_, i) => from + i);

/** Data files in a table's folder (live or orphaned). */
const parquetFiles = (id: keyof typeof TABLES): string[] => readdirSync(join(env.lakeDir, TABLES[id])).filter((f) => f.endsWith('.parquet'));

describe('stream job: replay after a failure', () => {
  it("a crash between writing a batch's data and committing it: the batch is redone, once", async () => {
    let failed = 0;
    store.before = (key) => {
      if (isCommitOf(TABLES.pin, key) && failed++ === 0) throw new Error('injected: crash before the commit');
    };
    const sent = pins([...range(0, 50), ...range(0, 10)]);
    await put(env.log, 'pin', sent);
    const job = await env.job({ store });
    await job.caughtUp();
    await until(() => job.streams.get('pin')!.stats.commits > 0);
    await job.stop();
    const t = await readTable(env, 'pin');
    assert.deepEqual(sortByInd(t.rows), expectedRows('pin', sent, t.schema));
    assert.equal(job.streams.get('pin')!.stats.failures, 1);
    assert.equal(parquetFiles('pin').length, t.files.length + 1, 'the failed attempt left one orphan file (vacuum removes it later)');
  });

  it('a commit that landed but reported a failure is recognised on reload, not redone', async () => {
    let failed = 0;
    store.after = (key) => {
      if (isCommitOf(TABLES.pin, key) && failed++ === 0) throw new Error('injected: the commit was written, the reply lost');
    };
    const sent = pins(range(0, 40));
    await put(env.log, 'pin', sent.slice(0, 20));
    const job = await env.job({ store });
    await until(() => job.streams.get('pin')!.stats.failures === 1);
    await put(env.log, 'pin', sent.slice(20));
    await job.caughtUp();
    await job.stop();
    const t = await readTable(env, 'pin');
    assert.deepEqual(sortByInd(t.rows), expectedRows('pin', sent, t.schema));
    assert.equal(t.rows.length, 40, 'nothing twice');
  });

  it('rejects committed before a failed rows commit are not doubled, even when the replay batch is bigger', async () => {
    let failed = 0;
    store.before = async (key) => {
      if (isCommitOf(TABLES.pin, key) && failed++ === 0) {
        await put(env.log, 'pin', ['late garbage', ...pins([100])]); // the replay sees more than the failed batch did
        throw new Error('injected: crash after the rejects commit');
      }
    };
    const sent = ['garbage 1', ...pins(range(0, 5)), '{"index": "x"}'];
    await put(env.log, 'pin', sent);
    const job = await env.job({ store });
    await until(() => job.streams.get('pin')!.stats.failures === 1);
    await job.caughtUp();
    await job.stop();
    const rejects = await readTable(env, 'rejects');
    assert.deepEqual(rejects.rows.map((r) => r.payload).sort(), ['garbage 1', 'late garbage', '{"index": "x"}']);
    assert.deepEqual(rejects.rows.map((r) => r.source).sort(), ['streaming-tst-pin+0+0', 'streaming-tst-pin+0+6', 'streaming-tst-pin+0+7']);
    const t = await readTable(env, 'pin');
    assert.equal(t.rows.length, 6);
  });

  it('two writers with one job id: a micro-batch the other committed first is skipped (txn) and the loser reloads', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let held = 0;
    store.before = async (key) => {
      if (isCommitOf(TABLES.user, key) && held++ === 0) await gate; // A's first commit waits until B has committed
    };
    const sent = range(0, 30).map((i) => JSON.stringify(generateRow(i, 3).user));
    await put(env.log, 'user', sent);
    const a = await env.job({ store });
    await until(() => held === 1);
    const b = await env.job();
    await b.caughtUp();
    release();
    await put(
      env.log,
      'user',
      range(30, 10).map((i) => JSON.stringify(generateRow(i, 3).user)),
    );
    await until(() => a.streams.get('user')!.stats.failures === 1, 20_000, 'the conflict');
    assert.match(a.streams.get('user')!.stats.lastError, /already committed to tables\/tst_user_table by another writer/);
    await a.caughtUp();
    await b.caughtUp();
    await a.stop();
    await b.stop();
    const t = await readTable(env, 'user');
    assert.equal(t.rows.length, 40);
    assert.equal(new Set(t.rows.map((r) => r.ind)).size, 40, 'one row per ind');
  });
});
