import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { parseConfig } from '../../src/core/config.js';
import { isError } from '../../src/core/errors.js';
import { registry } from '../../src/core/metrics.js';
import { openLog } from '../../src/log/index.js';
import { keyPartition } from '../../src/log/murmur2.js';
import { openSqliteLog, type SqliteLog } from '../../src/log/sqlite/sqlite-log.js';
import { landed, readAll, runLogContract } from './log-contract.js';

runLogContract(
  'sqlite',
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pinpipe-log-'));
    const path = join(dir, 'log', 'pinpipe.db');
    const log = await openSqliteLog({ path, fsync: 'off' });
    return {
      log,
      reopen: () => openSqliteLog({ path, fsync: 'off' }),
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
  { offsets: true },
);

/** The value of one metric series (process-wide registry). */
async function metric(name: string, labels: Record<string, string> = {}): Promise<number> {
  const m = registry.getSingleMetric(name);
  if (!m) return 0;
  const { values } = await m.get();
  const hit = values.find((v) => Object.entries(labels).every(([k, x]) => String(v.labels[k]) === x));
  return hit?.value ?? 0;
}

describe('SqliteLog specifics', () => {
  let dir: string;
  let log: SqliteLog;
  let n = 0;
  const fresh = async (opts: { groupCommitDelayMs?: number; fsync?: 'full' | 'off' } = {}): Promise<{ log: SqliteLog; path: string }> => {
    const path = join(dir, `db${n++}`, 'pinpipe.db');
    return { log: await openSqliteLog({ path, fsync: opts.fsync ?? 'off', groupCommitDelayMs: opts.groupCommitDelayMs }), path };
  };
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pinpipe-sqlite-'));
    ({ log } = await fresh({ fsync: 'full' }));
  });
  after(async () => {
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('groups concurrent appends into far fewer commits, offsets contiguous from 0 in call order', async () => {
    await log.createTopic('gc', { partitions: 1 });
    const commits0 = log.stats.groupCommits;
    const metric0 = await metric('pinpipe_log_group_commits_total');
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => log.append('gc', [{ value: String(i) }])));
    const commits = log.stats.groupCommits - commits0;
    assert.ok(commits >= 1 && commits <= 3, `${commits} commits for 200 concurrent appends`);
    assert.equal((await metric('pinpipe_log_group_commits_total')) - metric0, commits);
    assert.deepEqual(
      results.map((r) => landed(r)[0].position),
      Array.from({ length: 200 }, (_, i) => String(i)),
    );
    const back = await readAll(log, 'gc', 0);
    assert.deepEqual(
      back.map((r) => log.offsetOf(r.position)),
      Array.from({ length: 200 }, (_, i) => i),
    );
  });

  it('waits groupCommitDelayMs for more appends to share a commit', async () => {
    const { log: delayed } = await fresh({ groupCommitDelayMs: 100 });
    try {
      await delayed.createTopic('d', { partitions: 1 });
      const a = delayed.append('d', [{ value: 'a' }]);
      await new Promise((r) => setTimeout(r, 10));
      const b = delayed.append('d', [{ value: 'b' }]);
      await Promise.all([a, b]);
      assert.equal(delayed.stats.groupCommits, 1);
    } finally {
      await delayed.close();
    }
  });

  it('puts keyed records where Kafka would, and keyless ones on one sticky partition per commit', async () => {
    await log.createTopic('parts', { partitions: 10 });
    const [r] = landed(await log.append('parts', [{ key: 'foobar', value: '1' }]));
    assert.equal(r.partition, keyPartition('foobar', 10));
    assert.equal(r.partition, 6);
    const batch = (await Promise.all(Array.from({ length: 10 }, () => log.append('parts', [{ value: 'x' }, { value: 'y' }])))).flatMap(landed);
    const sticky = new Set(batch.map((x) => x.partition));
    assert.equal(sticky.size, 1, 'one partition for the whole group commit');
    const [next] = landed(await log.append('parts', [{ value: 'z' }]));
    assert.equal(next.partition, ([...sticky][0] + 1) % 10, 'the next commit moves to the next partition');
  });

  it('fails only an invalid record of an append', async () => {
    await log.createTopic('invalid', { partitions: 1 });
    const results = await log.append('invalid', [
      { value: 'ok' },
      { value: 42 as unknown as string },
      { value: 'ok2', timestamp: Number.NaN },
      { value: 'ok3' },
    ]);
    assert.ok('error' in results[1] && isError(results[1].error, 'INVALID_RECORD'));
    assert.ok('error' in results[2] && isError(results[2].error, 'INVALID_RECORD'));
    assert.deepEqual(
      (await readAll(log, 'invalid', 0)).map((r) => r.value),
      ['ok', 'ok3'],
    );
  });

  it('starts a timestamp read at the first record whose timestamp is at or after it', async () => {
    await log.createTopic('ts', { partitions: 1 });
    landed(
      await log.append(
        'ts',
        [5000, 1000, 7000, 3000].map((timestamp) => ({ value: String(timestamp), timestamp })),
      ),
    );
    const from = async (ts: number) => (await readAll(log, 'ts', 0, { kind: 'timestamp', timestampMs: ts })).map((r) => r.value);
    assert.deepEqual(await from(4000), ['5000', '1000', '7000', '3000']);
    assert.deepEqual(await from(6000), ['7000', '3000']);
    assert.deepEqual(await from(8000), []);
  });

  it('publishes appended counts and partition end offsets as metrics', async () => {
    await log.createTopic('metrics', { partitions: 2 });
    const before = await metric('pinpipe_log_appended_records_total', { topic: 'metrics' });
    landed(
      await log.append('metrics', [
        { value: 'a', partition: 1 },
        { value: 'b', partition: 1 },
        { value: 'c', partition: 0 },
      ]),
    );
    assert.equal((await metric('pinpipe_log_appended_records_total', { topic: 'metrics' })) - before, 3);
    assert.equal(await metric('pinpipe_log_end_offset', { topic: 'metrics', partition: '1' }), 2);
    assert.equal(await metric('pinpipe_log_end_offset', { topic: 'metrics', partition: '0' }), 1);
    assert.ok((await registry.metrics()).includes('pinpipe_log_group_commit_records_bucket'));
  });

  it('drops records and positions with the topic; a reader of it ends with TOPIC_NOT_FOUND', async () => {
    await log.createTopic('gone', { partitions: 1 });
    const [r] = landed(await log.append('gone', [{ value: 'a' }]));
    await log.commitPositions('g', [{ topic: 'gone', partition: 0, position: r.position }]);
    const reading = (async () => {
      for await (const batch of log.read('gone', 0, { kind: 'after', position: r.position })) void batch;
    })();
    await new Promise((res) => setTimeout(res, 20));
    await log.deleteTopic('gone');
    await assert.rejects(reading, (e) => isError(e, 'TOPIC_NOT_FOUND'));
    await log.createTopic('gone', { partitions: 1 });
    assert.equal((await log.fetchPositions('g', 'gone')).size, 0);
    assert.deepEqual(await readAll(log, 'gone', 0), []);
  });

  it('never reuses an offset: a topic deleted and created again continues where it ended (the lake names objects by offset)', async () => {
    const { log: own, path } = await fresh();
    await own.createTopic('again', { partitions: 2 });
    await own.append('again', [
      { value: 'a', partition: 0 },
      { value: 'b', partition: 0 },
      { value: 'c', partition: 1 },
    ]);
    await own.deleteTopic('again');
    await own.createTopic('again', { partitions: 3 });
    assert.deepEqual(await Promise.all([0, 1, 2].map(async (p) => (await own.offsets('again', p)).end)), [2, 1, 0]);
    const [r] = landed(await own.append('again', [{ value: 'd', partition: 0 }]));
    assert.equal(r.position, '2');
    await own.deleteTopic('again'); // deleted again: the floor only rises
    await own.close();
    const reopened = await openSqliteLog({ path, fsync: 'off' });
    await reopened.createTopic('again', { partitions: 1 });
    assert.equal((await reopened.offsets('again', 0)).end, 3);
    assert.equal(landed(await reopened.append('again', [{ value: 'e' }]))[0].position, '3');
    assert.deepEqual(
      (await readAll(reopened, 'again', 0)).map((x) => [reopened.offsetOf(x.position), x.value]),
      [[3, 'e']],
    );
    await reopened.close();
  });

  it('opens a log file of schema version 1 and adds what version 2 keeps', async () => {
    const { log: own, path } = await fresh();
    await own.createTopic('old', { partitions: 1 });
    await own.append('old', [{ value: 'x' }]);
    await own.close();
    const db = new Database(path);
    db.exec('DROP TABLE offset_floors; ALTER TABLE partitions DROP COLUMN start_off; PRAGMA user_version = 1');
    db.close();
    const migrated = await openSqliteLog({ path, fsync: 'off' });
    assert.deepEqual(
      (await readAll(migrated, 'old', 0)).map((x) => x.value),
      ['x'],
    );
    await migrated.deleteTopic('old');
    await migrated.createTopic('old', { partitions: 1 });
    assert.equal((await migrated.offsets('old', 0)).end, 1);
    await migrated.close();
  });

  it('refuses a topic past log.maxTopics with TOPIC_LIMIT_REACHED, and makes room when one is deleted', async () => {
    const path = join(dir, `db${n++}`, 'pinpipe.db');
    const capped = await openSqliteLog({ path, fsync: 'off', maxTopics: 2 });
    await capped.createTopic('one');
    await capped.ensureTopic('two');
    await assert.rejects(capped.ensureTopic('three'), (e) => isError(e, 'TOPIC_LIMIT_REACHED') && /limit \(log.maxTopics\) is 2/.test(e.message));
    await capped.deleteTopic('one');
    await capped.createTopic('three');
    await capped.close();
  });

  it('validates names, partition counts, positions and partitions', async () => {
    await assert.rejects(log.createTopic('bad/name'), (e) => isError(e, 'INVALID_NAME'));
    // `<topic>+<partition>+<offset>.json` must fit a file name: 228 characters at most, not Kafka's 249.
    await log.createTopic('t'.repeat(228));
    await assert.rejects(log.createTopic('t'.repeat(229)), (e) => isError(e, 'INVALID_NAME') && /1-228 characters/.test(e.message));
    await assert.rejects(log.createTopic('zero', { partitions: 0 }), (e) => isError(e, 'INVALID_BODY'));
    await log.createTopic('v', { partitions: 1 });
    await assert.rejects(log.commitPositions('g', [{ topic: 'v', partition: 0, position: 'x' }]), (e) => isError(e, 'INVALID_POSITION'));
    await assert.rejects(log.commitPositions('g', [{ topic: 'v', partition: 3, position: '0' }]), (e) => isError(e, 'PARTITION_NOT_FOUND'));
    await assert.rejects(log.offsets('v', 1), (e) => isError(e, 'PARTITION_NOT_FOUND'));
    await assert.rejects(readAll(log, 'v', 5), (e) => isError(e, 'PARTITION_NOT_FOUND'));
    await assert.rejects(readAll(log, 'nope', 0), (e) => isError(e, 'TOPIC_NOT_FOUND'));
  });

  it('close() writes the appends still queued before closing the file', async () => {
    const { log: closing, path } = await fresh();
    await closing.createTopic('q', { partitions: 1 });
    const pending = closing.append('q', [{ value: 'last' }]);
    await closing.close();
    assert.equal(landed(await pending)[0].position, '0');
    const again = await openSqliteLog({ path, fsync: 'off' });
    assert.deepEqual(
      (await readAll(again, 'q', 0)).map((r) => r.value),
      ['last'],
    );
    await again.close();
  });

  it('openLog opens <dataDir>/log/pinpipe.db from the config', async () => {
    const dataDir = join(dir, 'data');
    const opened = await openLog(parseConfig({ log: { fsync: 'off' } }).log, dataDir);
    await opened.close();
    assert.ok(existsSync(join(dataDir, 'log', 'pinpipe.db')));
  });
});
