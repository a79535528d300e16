import assert from 'node:assert/strict';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, beforeEach, describe, it } from 'node:test';
import { createLogger } from '../../src/core/logger.js';
import { LocalObjectStore } from '../../src/lake/local/local-store.js';
import { LakeSink } from '../../src/lake/sink/lake-sink.js';
import { objectKey } from '../../src/lake/sink/object-names.js';
import { openSqliteLog, type SqliteLog } from '../../src/log/sqlite/sqlite-log.js';
import { tempDir } from '../helpers/temp.js';

const logger = createLogger('silent');

/** Lake contents: object key → lines. */
async function lake(store: LocalObjectStore, topic: string): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const o of await store.list(`topics/${topic}/`)) out.set(o.key, (await store.get(o.key)).toString('utf8').split('\n').slice(0, -1));
  return out;
}

async function until(cond: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('timed out');
    await sleep(10);
  }
}

describe('lake sink', () => {
  let log: SqliteLog;
  let store: LocalObjectStore;
  let cleanup: () => void;
  const cleanups: (() => Promise<void>)[] = [];
  beforeEach(async () => {
    const t = tempDir('pinpipe-sink');
    cleanup = t.cleanup;
    const opened = await openSqliteLog({ path: join(t.dir, 'log.db'), fsync: 'off' });
    log = opened;
    store = new LocalObjectStore(join(t.dir, 'lake'), { fsync: false });
    cleanups.push(async () => {
      await opened.close();
      cleanup();
    });
  });
  after(async () => {
    for (const c of cleanups) await c();
  });

  const sink = (o: Partial<ConstructorParameters<typeof LakeSink>[0]> = {}) =>
    new LakeSink({ log, store, topicsRegex: 'p\\..*', flushSize: 3, rotateIntervalMs: 0, topicScanIntervalMs: 20, logger, ...o });

  it('rotates on flushSize with Connect object names and flushes the rest on stop', async () => {
    await log.createTopic('p.pin');
    await log.append(
      'p.pin',
      Array.from({ length: 10 }, (_, i) => ({ value: JSON.stringify({ i }) })),
    );
    const s = sink();
    await s.start();
    await until(async () => (await lake(store, 'p.pin')).size === 3);
    await s.stop();
    const objs = await lake(store, 'p.pin');
    assert.deepEqual(
      [...objs.keys()],
      [0, 3, 6, 9].map((o) => objectKey('p.pin', 0, o)),
    );
    assert.equal(objectKey('p.pin', 0, 9), 'topics/p.pin/partition=0/p.pin+0+0000000009.json');
    assert.deepEqual(
      [...objs.values()].flat().map((l) => JSON.parse(l).i),
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    );
    assert.equal((await log.fetchPositions('pinpipe-lake-sink', 'p.pin')).get(0), '9');
  });

  it('rotates when record timestamps span rotateIntervalMs', async () => {
    await log.createTopic('p.geo');
    const t0 = 1_700_000_000_000;
    await log.append(
      'p.geo',
      [0, 10, 20, 1000, 1010, 2500].map((dt, i) => ({ value: String(i), timestamp: t0 + dt })),
    );
    const s = sink({ flushSize: 100, rotateIntervalMs: 1000 });
    await s.start();
    await until(async () => (await lake(store, 'p.geo')).size === 2);
    await s.stop();
    assert.deepEqual([...(await lake(store, 'p.geo')).values()], [['0', '1', '2'], ['3', '4'], ['5']]);
  });

  it('rotates on record timestamps also when the open object already holds records read earlier', async () => {
    await log.createTopic('p.late');
    const t0 = 1_700_000_000_000;
    const s = sink({ flushSize: 100, rotateIntervalMs: 100_000 });
    await s.start();
    await log.append(
      'p.late',
      [0, 10].map((dt, i) => ({ value: String(i), timestamp: t0 + dt })),
    );
    await sleep(300); // the sink reads these two into its open object
    await log.append(
      'p.late',
      [20, 100_000, 100_010].map((dt, i) => ({ value: String(i + 2), timestamp: t0 + dt })),
    );
    await until(async () => (await lake(store, 'p.late')).size === 1);
    await s.stop();
    assert.deepEqual(
      [...(await lake(store, 'p.late')).values()],
      [
        ['0', '1', '2'],
        ['3', '4'],
      ],
    );
  });

  it('closes an idle object once rotateIntervalMs has passed', async () => {
    await log.createTopic('p.idle');
    await log.append('p.idle', [{ value: '"a"' }]);
    const s = sink({ flushSize: 100, rotateIntervalMs: 100 });
    await s.start();
    await until(async () => (await lake(store, 'p.idle')).size === 1, 3000);
    await s.stop();
  });

  it('copies new topics and every partition it finds later', async () => {
    const s = sink({ flushSize: 1 });
    await s.start();
    await log.createTopic('p.user', { partitions: 2 });
    await log.createTopic('other.user');
    await log.append('p.user', [
      { value: '1', partition: 0 },
      { value: '2', partition: 1 },
    ]);
    await log.append('other.user', [{ value: '3' }]);
    await until(async () => (await lake(store, 'p.user')).size === 2);
    await s.stop();
    assert.deepEqual([...(await lake(store, 'p.user')).keys()], [objectKey('p.user', 0, 0), objectKey('p.user', 1, 0)]);
    assert.equal((await store.list('topics/other.user/')).length, 0);
  });

  it('recovers after a crash from the objects already present, writing nothing twice', async () => {
    await log.createTopic('p.crash');
    await log.append(
      'p.crash',
      Array.from({ length: 9 }, (_, i) => ({ value: String(i) })),
    );
    // A crashed sink wrote 0..2 and committed, then wrote 3..5 and died before committing.
    await store.put(objectKey('p.crash', 0, 0), '0\n1\n2\n');
    await log.commitPositions('pinpipe-lake-sink', [{ topic: 'p.crash', partition: 0, position: '2' }]);
    await store.put(objectKey('p.crash', 0, 3), '3\n4\n5\n');
    const s = sink();
    await s.start();
    await until(async () => (await lake(store, 'p.crash')).size === 3);
    await s.stop();
    const objs = await lake(store, 'p.crash');
    assert.deepEqual(
      [...objs.keys()],
      [0, 3, 6].map((o) => objectKey('p.crash', 0, o)),
    );
    assert.deepEqual([...objs.values()].flat(), ['0', '1', '2', '3', '4', '5', '6', '7', '8']);
  });

  it('drains what the log holds when stopped, so a clean shutdown leaves the lake complete', async () => {
    await log.createTopic('p.drain');
    await log.append(
      'p.drain',
      Array.from({ length: 2500 }, (_, i) => ({ value: String(i) })),
    );
    const s = sink({ flushSize: 1000 });
    await s.start();
    await s.stop();
    const lines = [...(await lake(store, 'p.drain')).values()].flat();
    assert.equal(lines.length, 2500);
    assert.equal(lines[2499], '2499');
  });

  it('resumes after its committed position on restart', async () => {
    await log.createTopic('p.again');
    await log.append('p.again', [{ value: '1' }, { value: '2' }]);
    let s = sink({ flushSize: 1 });
    await s.start();
    await until(async () => (await lake(store, 'p.again')).size === 2);
    await s.stop();
    await log.append('p.again', [{ value: '3' }]);
    s = sink({ flushSize: 1 });
    await s.start();
    await until(async () => (await lake(store, 'p.again')).size === 3);
    await s.stop();
    assert.deepEqual([...(await lake(store, 'p.again')).values()].flat(), ['1', '2', '3']);
  });

  it('copies a topic deleted and created again without skipping its new records (offsets are never reused)', async () => {
    await log.createTopic('p.again2');
    await log.append(
      'p.again2',
      Array.from({ length: 5 }, (_, i) => ({ value: `"old${i}"` })),
    );
    let s = sink({ flushSize: 5 });
    await s.start();
    await until(async () => (await lake(store, 'p.again2')).size === 1);
    await s.stop();
    await log.deleteTopic('p.again2');
    await log.createTopic('p.again2');
    await log.append(
      'p.again2',
      Array.from({ length: 5 }, (_, i) => ({ value: `"new${i}"` })),
    );
    s = sink({ flushSize: 5 });
    await s.start();
    await until(async () => (await lake(store, 'p.again2')).size === 2);
    await s.stop();
    const objs = await lake(store, 'p.again2');
    assert.deepEqual([...objs.keys()], [objectKey('p.again2', 0, 0), objectKey('p.again2', 0, 5)]);
    assert.deepEqual([...objs.values()].flat(), ['"old0"', '"old1"', '"old2"', '"old3"', '"old4"', '"new0"', '"new1"', '"new2"', '"new3"', '"new4"']);
  });

  it('refuses to copy a partition whose lake is ahead of the log (SINK_LAKE_AHEAD in health), writing nothing over it', async () => {
    await log.createTopic('p.reset');
    await store.put(objectKey('p.reset', 0, 0), '"a"\n"b"\n"c"\n'); // a lake kept while the log was replaced
    await log.append('p.reset', [{ value: '"fresh"' }]);
    const s = sink({ flushSize: 1 });
    await s.start();
    await until(async () => (s.health().failing as unknown[]).length === 1);
    await s.stop();
    const [failing] = s.failing();
    assert.equal(failing.topic, 'p.reset');
    assert.match(failing.error, /up to offset 2 .* next offset is 1/);
    assert.deepEqual([...(await lake(store, 'p.reset')).values()], [['"a"', '"b"', '"c"']]);
  });

  it('stops reading idle partitions: work follows active partitions, not the number of topics', async () => {
    const topics = Array.from({ length: 150 }, (_, i) => `p.many${i}`);
    for (const t of topics) await log.createTopic(t);
    for (const t of topics) await log.append(t, [{ value: '"x"' }]);
    let reads = 0;
    const counting = new Proxy(log, {
      get(target, key) {
        const v = Reflect.get(target, key, target) as unknown;
        if (typeof v !== 'function') return v;
        const f = (v as (...a: unknown[]) => unknown).bind(target);
        return key === 'readLines' || key === 'read' ? (...a: unknown[]) => (reads++, f(...a)) : f;
      },
    });
    const s = sink({ log: counting, flushSize: 1, idlePartitionMs: 200 });
    await s.start();
    await until(async () => (await store.list('topics/')).length === topics.length, 90_000); // generous: the machine may be loaded
    await until(async () => s.health().active === 0, 90_000);
    reads = 0;
    await sleep(1500); // 150 polling writers would read ~150 times a second (the old sink did)
    assert.equal(reads, 0, 'no reads of idle partitions');
    await log.append('p.many7', [{ value: '"y"' }]);
    await until(async () => (await lake(store, 'p.many7')).size === 2, 60_000);
    assert.ok(reads < 20, `${reads} reads to copy one record of one partition`);
    await s.stop();
  });
});
