import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { readPartition } from '../../../src/log/sqlite/reader.js';
import type { RecordRow, Statements } from '../../../src/log/sqlite/statements.js';
import type { PartState, TopicState } from '../../../src/log/sqlite/topic-registry.js';
import { Wakeup } from '../../../src/log/sqlite/wakeup.js';

/** A partition of `n` rows behind a readBatch that counts its queries. */
function fake(n: number) {
  const queries: number[] = [];
  const stmts = {
    readBatch: {
      all: (_tp: number, from: number, limit: number): RecordRow[] => {
        queries.push(from);
        const rows: RecordRow[] = [];
        for (let o = from; o < Math.min(n, from + limit); o++) rows.push([o, null, `v${o}`, 1, 2]);
        return rows;
      },
    },
  } as unknown as Statements;
  const part = { tp: 1, partition: 0, wakeup: new Wakeup() } as unknown as PartState;
  const topic = { info: { name: 't', partitions: 1, createdAt: 0 }, deleted: false } as unknown as TopicState;
  return { ctx: { stmts, pollIntervalMs: 20, isClosed: () => false }, part, topic, queries };
}

describe('sqlite reader', () => {
  it('queries the next batch only when the consumer pulls (no read-ahead)', async () => {
    const { ctx, part, topic, queries } = fake(100);
    const it = readPartition(ctx, topic, part, 0, { maxRecords: 10 });
    assert.equal(queries.length, 0, 'nothing read before the first pull');
    const first = await it.next();
    assert.equal((first.value as unknown[]).length, 10);
    await sleep(100); // a slow consumer
    assert.deepEqual(queries, [0], 'one query for one batch, however long the consumer takes');
    await it.next();
    assert.deepEqual(queries, [0, 10]);
    await it.return(undefined);
  });

  it('polls at the end while following, and the abort signal ends it', async () => {
    const { ctx, part, topic, queries } = fake(3);
    const ac = new AbortController();
    const it = readPartition(ctx, topic, part, 3, { signal: ac.signal });
    const pending = it.next();
    await sleep(150);
    assert.ok(queries.length >= 3, `polled ${queries.length} times in 150 ms at 20 ms`);
    ac.abort();
    assert.equal((await pending).done, true);
  });

  it('a commit to the partition wakes a waiting reader at once', async () => {
    const { ctx, part, topic, queries } = fake(0);
    const ac = new AbortController();
    const it = readPartition({ ...ctx, pollIntervalMs: 60_000 }, topic, part, 0, { follow: true, signal: ac.signal });
    const pending = it.next();
    await sleep(20);
    const before = queries.length;
    part.wakeup.notify();
    await sleep(5);
    assert.equal(queries.length, before + 1);
    ac.abort();
    assert.equal((await pending).done, true);
  });
});
