import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commitKey, DeltaTable, parseCommit } from '../../src/delta/index.js';
import { useDeltaFixture } from './temp-store.js';

const fx = useDeltaFixture();

describe('commitInfo extras', () => {
  it('writes extra commitInfo fields next to the txn, and the standard fields win a clash', async () => {
    const t = await DeltaTable.create(fx.tmp.store, 'tables/ci', { sql: fx.sql, columns: [{ name: 'v', type: 'long' }] });
    const r = await t.append('SELECT 1 AS v', { txn: { appId: 'job', version: 3 }, commitInfo: { positions: { '0': '41' }, operation: 'NOT MINE' } });
    assert.equal(r.committed, true);
    const actions = parseCommit((await fx.tmp.store.get(commitKey('tables/ci', r.version))).toString('utf8'), r.version);
    const info = actions.find((a) => a.commitInfo)?.commitInfo;
    assert.deepEqual(info?.positions, { '0': '41' });
    assert.equal(info?.operation, 'WRITE');
    assert.deepEqual(actions.find((a) => a.txn)?.txn?.version, 3);
    const plain = await t.append('SELECT 2 AS v');
    const again = parseCommit((await fx.tmp.store.get(commitKey('tables/ci', plain.version))).toString('utf8'), plain.version);
    assert.equal('positions' in (again.find((a) => a.commitInfo)?.commitInfo ?? {}), false);
  });
});
