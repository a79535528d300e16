import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { KeySet, ShardReader } from '../../../src/jobs/stream/index.js';
import type { Log, LogRecord, ReadOptions, ReadStart } from '../../../src/log/log.js';
import { openSqliteLog } from '../../../src/log/sqlite/sqlite-log.js';
import { tempDir } from '../../helpers/temp.js';

describe('KeySet', () => {
  it('agrees with a Set through merges, with duplicates and negative and 64-bit keys', () => {
    const ref = new Set<bigint>();
    const ks = KeySet.from(BigInt64Array.from([5n, -3n, 5n, 9223372036854775807n]));
    for (const k of [5n, -3n, 9223372036854775807n]) ref.add(k);
    let x = 12345n;
    for (let i = 0; i < 30_000; i++) {
      x = (x * 6364136223846793005n + 1442695040888963407n) % 2n ** 63n;
      const k = (x % 50_000n) - 25_000n;
      assert.equal(ks.has(k), ref.has(k));
      ks.add(k);
      ref.add(k);
    }
    assert.equal(ks.size, ref.size);
    for (let k = -25_000n; k < 25_000n; k += 7n) assert.equal(ks.has(k), ref.has(k));
  });
});

describe('ShardReader', () => {
  it('merges shards into batches of at most max, in order per shard, and never reads more than one batch ahead per shard', async () => {
    const { dir, cleanup } = tempDir('pinpipe-shards');
    const log = await openSqliteLog({ path: join(dir, 'log.db'), fsync: 'off' });
    try {
      await log.createTopic('s', { partitions: 2 });
      for (let p = 0; p < 2; p++)
        await log.append(
          's',
          Array.from({ length: 100 }, (_, i) => ({ value: `${p}:${i}`, partition: p })),
        );
      let fetched = 0;
      const counting: Log = Object.create(log, {
        read: {
          value: (topic: string, partition: number, start: ReadStart, opts?: ReadOptions) => {
            const inner = log.read(topic, partition, start, opts);
            return (async function* () {
              for await (const b of inner) {
                fetched += b.length;
                yield b;
              }
            })();
          },
        },
      });
      const abort = new AbortController();
      const reader = new ShardReader(
        counting,
        's',
        new Map([
          [0, { kind: 'earliest' }],
          [1, { kind: 'after', position: '49' }],
        ]),
        { maxRecords: 10, signal: abort.signal },
      );
      const got: LogRecord[] = [];
      const first = await reader.take(15);
      assert.equal(first.length, 15);
      assert.ok(fetched <= 15 + 2 * 10, `read ahead: ${fetched}`);
      got.push(...first);
      for (;;) {
        const b = await reader.take(15);
        assert.ok(b.length <= 15);
        if (b.length === 0) break;
        got.push(...b);
      }
      const byShard = (p: number) => got.filter((r) => r.partition === p).map((r) => r.value);
      assert.deepEqual(
        byShard(0),
        Array.from({ length: 100 }, (_, i) => `0:${i}`),
      );
      assert.deepEqual(
        byShard(1),
        Array.from({ length: 50 }, (_, i) => `1:${i + 50}`),
      );
      const waiting = reader.ready();
      await log.append('s', [{ value: 'late', partition: 1 }]);
      await waiting;
      assert.deepEqual(
        (await reader.take(5)).map((r) => r.value),
        ['late'],
      );
      abort.abort();
      await reader.close();
    } finally {
      await log.close();
      cleanup();
    }
  });
});
