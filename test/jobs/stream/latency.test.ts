import assert from 'node:assert/strict';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { openDuckDB, type Sql } from '../../../src/core/duckdb.js';
import { parseConfig, streamNames } from '../../../src/core/config.js';
import { createLogger } from '../../../src/core/logger.js';
import { DeltaTable } from '../../../src/delta/index.js';
import { generateRow } from '../../../src/emulator/index.js';
import { StreamJob, streamTableKeys } from '../../../src/jobs/stream/index.js';
import { LocalObjectStore } from '../../../src/lake/local/local-store.js';
import { makeApp, type TestApp } from '../../helpers/app.js';

let t: TestApp;
let job: StreamJob;
let store: LocalObjectStore;
let sql: Sql;
before(async () => {
  t = await makeApp({ prefix: 'lat' });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  store = new LocalObjectStore(join(t.dir, 'lake'));
  job = new StreamJob({ log: t.log, store, prefix: 'lat', config: parseConfig({ prefix: 'lat' }).stream, logger: createLogger('silent') });
  await job.start();
  sql = await openDuckDB();
});
after(async () => {
  sql.close();
  await job.stop();
  await t.close();
});

describe('stream latency (a sanity bound; speed is measured in bench/stream.bench.ts)', () => {
  it('a record posted to the stream endpoint is queryable in its table well within a second', async (ctx) => {
    const table = await DeltaTable.open(store, streamTableKeys('lat').pin, { sql });
    const seen: number[] = [];
    for (let i = 0; i < 5; i++) {
      const row = generateRow(1000 + i, 1);
      const res = await t.app.inject({
        method: 'PUT',
        url: `/streams/${streamNames('lat').pin}/record`,
        payload: { StreamName: 'x', Data: row.pin, PartitionKey: 'k' },
      });
      assert.equal(res.statusCode, 200);
      const acked = performance.now();
      for (;;) {
        await table.registerView('pins');
        const [{ n }] = await sql.all<{ n: bigint }>('SELECT count(*) AS n FROM pins WHERE ind = $1', [row.pin.index]);
        if (n === 1n) break;
        if (performance.now() - acked > 10_000) assert.fail('the record never showed up');
        await sleep(5);
      }
      seen.push(performance.now() - acked);
      await sleep(300); // an idle stream: each record is a micro-batch of its own
    }
    ctx.diagnostic(`acknowledged → queryable: ${seen.map((ms) => `${Math.round(ms)} ms`).join(', ')}`);
    assert.ok(Math.max(...seen) < 2000, `slowest ${Math.round(Math.max(...seen))} ms`);
  });
});
