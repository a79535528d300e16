import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { generateRow } from '../../../src/emulator/index.js';
import { RECORD_KINDS } from '../../../src/transforms/index.js';
import { expectedRows, jobEnv, put, readTable, sortByInd, type JobEnv } from './helpers.js';

let env: JobEnv;
beforeEach(async () => {
  env = await jobEnv();
});
afterEach(() => env.cleanup());

describe('stream job', () => {
  it('cleans every stream into its table, one row per ind, rejects apart', async () => {
    const sent: Record<string, string[]> = { pin: [], geo: [], user: [] };
    for (let i = 0; i < 60; i++) {
      const row = generateRow(i % 40, 7);
      for (const kind of RECORD_KINDS) sent[kind].push(JSON.stringify(row[kind]));
    }
    sent.pin.push('not json', '{"title": "no index"}');
    sent.geo.push('[1,2]');
    for (const kind of RECORD_KINDS) await put(env.log, kind, sent[kind]);
    const job = await env.job();
    await job.caughtUp();
    await job.stop();
    for (const kind of RECORD_KINDS) {
      const t = await readTable(env, kind);
      assert.deepEqual(sortByInd(t.rows), expectedRows(kind, sent[kind], t.schema), kind);
    }
    const rejects = await readTable(env, 'rejects');
    assert.deepEqual(rejects.rows.map((r) => [r.kind, r.reason, r.payload]).sort(), [['geo', 'not_object', '[1,2]'], ['pin', 'missing_key', '{"title": "no index"}'], ['pin', 'not_json', 'not json']]);
  });
});
