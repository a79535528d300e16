/**
 * The Log contract: what every implementation (sqlite, kafka, kinesis) must do, through the Log
 * interface only. Positions are opaque (compared with `comparePositions`, measured with `lag`);
 * offsets are checked only on logs that have them (`OffsetLog`). Topic names are unique
 * per test, so a shared broker works. Laziness of `read` (no read-ahead) cannot be seen through
 * the interface; each implementation's own suite checks it.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { isError, type ErrorKind } from '../../src/core/errors.js';
import { hasOffsets, type AppendResult, type Log, type LogRecord, type ReadOptions, type ReadStart } from '../../src/log/log.js';

export interface LogUnderTest {
  log: Log;
  /** Open the same store again (after `log` was closed), to check durability. */
  reopen?: () => Promise<Log>;
  cleanup: () => Promise<void>;
}

const T = { timeout: 15_000 };

/** A topic name no other test (or earlier run against a shared broker) uses. */
export function uniqueTopic(label: string): string {
  return `pp-${label}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/** Every record of a partition from `start` to the current end. */
export async function readAll(
  log: Log,
  topic: string,
  partition: number,
  start: ReadStart = { kind: 'earliest' },
  opts: ReadOptions = {},
): Promise<LogRecord[]> {
  const out: LogRecord[] = [];
  for await (const batch of log.read(topic, partition, start, { ...opts, follow: false })) out.push(...batch);
  return out;
}

/** The successful results of an append (asserting there is no error). */
export function landed(results: AppendResult[]): { partition: number; position: string }[] {
  return results.map((r, i) => {
    assert.ok(!('error' in r), `record ${i} failed: ${'error' in r ? r.error.message : ''}`);
    return r as { partition: number; position: string };
  });
}

const coded = (kind: ErrorKind) => (err: unknown) => {
  assert.ok(isError(err, kind), `expected ${kind}, got ${String(err)}`);
  return true;
};

/**
 * Run the Log contract against one implementation; `open` gives a fresh log (and its cleanup) per test.
 * `offers.offsets`: the implementation is an OffsetLog (offsets and readLines); that part of the contract runs only then.
 */
export function runLogContract(name: string, open: () => Promise<LogUnderTest>, offers: { offsets?: boolean } = {}): void {
  describe(`Log contract: ${name}`, () => {
    let h: LogUnderTest;
    let log: Log;
    const increasing = (positions: string[]): void => {
      for (let i = 1; i < positions.length; i++)
        assert.ok(log.comparePositions(positions[i - 1], positions[i]) < 0, `position ${positions[i - 1]} !< ${positions[i]}`);
    };

    beforeEach(async () => {
      h = await open();
      log = h.log;
    });
    afterEach(async () => {
      await log.close();
      await h.cleanup();
    });

    it('creates, describes, lists and deletes topics', T, async () => {
      const topic = uniqueTopic('topics');
      const info = await log.createTopic(topic, { partitions: 3 });
      assert.equal(info.name, topic);
      assert.equal(info.partitions, 3);
      assert.equal(typeof info.createdAt, 'number');
      assert.deepEqual(await log.describeTopic(topic), info);
      assert.ok((await log.listTopics()).some((t) => t.name === topic && t.partitions === 3));
      await assert.rejects(log.createTopic(topic, { partitions: 3 }), coded('TOPIC_EXISTS'));
      await log.deleteTopic(topic);
      assert.equal(await log.describeTopic(topic), undefined);
      assert.ok(!(await log.listTopics()).some((t) => t.name === topic));
      await assert.rejects(log.deleteTopic(topic), coded('TOPIC_NOT_FOUND'));
    });

    it('ensureTopic creates once and then returns the existing topic', T, async () => {
      const topic = uniqueTopic('ensure');
      const a = await log.ensureTopic(topic, { partitions: 2 });
      const b = await log.ensureTopic(topic, { partitions: 5 });
      assert.equal(a.partitions, 2);
      assert.deepEqual(b, a);
      const [c, d] = await Promise.all([log.ensureTopic(uniqueTopic('ensure2')), log.ensureTopic(topic)]);
      assert.ok(c.partitions >= 1);
      assert.deepEqual(d, a);
    });

    it('rejects appends to a missing topic with TOPIC_NOT_FOUND', T, async () => {
      await assert.rejects(log.append(uniqueTopic('missing'), [{ value: '{}' }]), coded('TOPIC_NOT_FOUND'));
    });

    it('keeps records in order with increasing positions, fields intact', T, async () => {
      const topic = uniqueTopic('order');
      await log.createTopic(topic, { partitions: 1 });
      const first = landed(
        await log.append(
          topic,
          Array.from({ length: 10 }, (_, i) => ({ value: JSON.stringify({ i }), key: i % 2 ? `k${i}` : null, timestamp: 1_600_000_000_000 + i })),
        ),
      );
      const second = landed(
        await log.append(
          topic,
          Array.from({ length: 5 }, (_, i) => ({ value: JSON.stringify({ i: 10 + i }) })),
        ),
      );
      const all = [...first, ...second];
      assert.ok(all.every((r) => r.partition === 0));
      increasing(all.map((r) => r.position));
      const got = await readAll(log, topic, 0);
      assert.deepEqual(
        got.map((r) => r.position),
        all.map((r) => r.position),
      );
      assert.deepEqual(
        got.map((r) => (JSON.parse(r.value) as { i: number }).i),
        Array.from({ length: 15 }, (_, i) => i),
      );
      const features = log.features;
      assert.ok(
        got.every((r) => /^[0-9]+$/.test(r.position)),
        'positions are decimal digits',
      );
      assert.equal(got[3].key, 'k3');
      assert.equal(got[2].key, null);
      if (features.producerTimestamps) assert.equal(got[4].timestamp, 1_600_000_000_004);
      assert.equal(got[0].topic, topic);
      assert.equal(got[0].partition, 0);
      assert.ok(got.every((r) => typeof r.appendedAt === 'number' && r.appendedAt > 1_600_000_000_000));
      assert.ok(got[12].timestamp > 1_600_000_000_000, 'default timestamp is the append time');
      assert.ok(got[12].timestamp >= got[12].appendedAt - 60_000 && got[12].timestamp <= Date.now() + 60_000);
      assert.equal(await log.lastPosition(topic, 0), all[14].position);
    });

    it('tells the last position and the lag after a position, without offsets', T, async () => {
      const topic = uniqueTopic('lag');
      await log.createTopic(topic, { partitions: 2 });
      assert.equal(await log.lastPosition(topic, 1), undefined, 'an empty partition has no last position');
      assert.deepEqual(await log.lag(topic, 1, undefined), { records: 0, capped: false });
      const at = landed(
        await log.append(
          topic,
          Array.from({ length: 7 }, (_, i) => ({ value: String(i), partition: 1 })),
        ),
      ).map((r) => r.position);
      assert.equal(await log.lastPosition(topic, 1), at[6]);
      assert.equal(await log.lastPosition(topic, 0), undefined);
      assert.deepEqual(await log.lag(topic, 1, undefined), { records: 7, capped: false }, 'nothing processed: every record');
      assert.deepEqual(await log.lag(topic, 1, at[0]), { records: 6, capped: false });
      assert.deepEqual(await log.lag(topic, 1, at[4]), { records: 2, capped: false });
      assert.deepEqual(await log.lag(topic, 1, at[6]), { records: 0, capped: false }, 'caught up');
      const [more] = landed(await log.append(topic, [{ value: '7', partition: 1 }]));
      assert.ok(log.comparePositions(more.position, at[6]) > 0);
      assert.equal(await log.lastPosition(topic, 1), more.position);
      assert.deepEqual(await log.lag(topic, 1, at[6]), { records: 1, capped: false });
      await assert.rejects(log.lag(uniqueTopic('no-such'), 0, undefined), coded('TOPIC_NOT_FOUND'));
      await assert.rejects(log.lastPosition(topic, 2), coded('PARTITION_NOT_FOUND'));
    });

    if (offers.offsets)
      it('offsets: dense per partition, convertible to positions, with start and end', T, async () => {
        const log = h.log;
        assert.ok(hasOffsets(log), 'this log has offsets');
        const topic = uniqueTopic('offsets');
        await log.createTopic(topic, { partitions: 1 });
        assert.deepEqual(await log.offsets(topic, 0), { start: 0, end: 0 });
        const at = landed(
          await log.append(
            topic,
            Array.from({ length: 4 }, (_, i) => ({ value: String(i) })),
          ),
        );
        const offsets = at.map((r) => log.offsetOf(r.position));
        assert.deepEqual(offsets, [0, 1, 2, 3]);
        assert.deepEqual(
          offsets.map((o) => log.positionAt(o)),
          at.map((r) => r.position),
        );
        assert.deepEqual(await log.offsets(topic, 0), { start: 0, end: 4 });
        assert.throws(() => log.offsetOf('x1'), coded('INVALID_POSITION'));
      });

    it('takes a value as its UTF-8 bytes (views into one shared buffer) and reads it back as the same text', T, async () => {
      const topic = uniqueTopic('bytes');
      await log.createTopic(topic, { partitions: 1 });
      const texts = ['{"t":"Ünïcødé ✨ 𝄞 “quotes”"}', '"plain"', '{}'];
      const shared = new TextEncoder().encode(texts.join(''));
      const views: Uint8Array[] = [];
      for (let at = 0, i = 0; i < texts.length; i++) {
        const n = new TextEncoder().encode(texts[i]).length;
        views.push(shared.subarray(at, at + n));
        at += n;
      }
      landed(await log.append(topic, [{ value: views[0] }, { value: 'as a string' }, { value: views[1] }, { value: views[2] }]));
      assert.deepEqual(
        (await readAll(log, topic, 0)).map((r) => r.value),
        [texts[0], 'as a string', texts[1], texts[2]],
      );
    });

    if (offers.offsets)
      it('readLines gives the values as lines in chunks, with offset and timestamp ranges, and waits for appends', T, async () => {
        const log = h.log;
        assert.ok(hasOffsets(log), 'this log has offsets');
        const topic = uniqueTopic('lines');
        await log.createTopic(topic, { partitions: 1 });
        const values = ['{"a":1}', '"Ünïcødé ✨"', '[1,2]', '{"b":{"c":null}}', '7'];
        const stamps = [5_000, 1_000, 9_000, 2_000, 3_000];
        landed(
          await log.append(
            topic,
            values.map((value, i) => ({ value, timestamp: stamps[i] })),
          ),
        );
        const a = await log.readLines(topic, 0, 0, { maxRecords: 3 });
        assert.ok(a);
        assert.deepEqual([a.count, a.firstOffset, a.lastOffset, a.firstTimestamp, a.maxTimestamp], [3, 0, 2, 5_000, 9_000]);
        assert.equal(a.lines.toString('utf8'), `${values.slice(0, 3).join('\n')}\n`);
        const b = await log.readLines(topic, 0, 3, { maxRecords: 10 });
        assert.ok(b);
        assert.deepEqual([b.count, b.firstOffset, b.lastOffset, b.firstTimestamp, b.maxTimestamp], [2, 3, 4, 2_000, 3_000]);
        assert.equal(b.lines.toString('utf8'), `${values.slice(3).join('\n')}\n`);
        assert.equal(await log.readLines(topic, 0, 5, { maxRecords: 10 }), undefined, 'nothing there: answers at once');
        const waiting = log.readLines(topic, 0, 5, { maxRecords: 10, waitMs: 5_000 });
        setTimeout(() => void log.append(topic, [{ value: '"late"' }]), 50);
        assert.equal((await waiting)?.lines.toString('utf8'), '"late"\n');
        const abort = new AbortController();
        const aborted = log.readLines(topic, 0, 6, { maxRecords: 10, waitMs: 60_000, signal: abort.signal });
        abort.abort();
        assert.equal(await aborted, undefined, 'an abort ends the wait');
      });

    it('honours an explicit partition and fails only the record with a bad one', T, async () => {
      const topic = uniqueTopic('explicit');
      await log.createTopic(topic, { partitions: 3 });
      const results = await log.append(topic, [
        { value: '"a"', partition: 2 },
        { value: '"bad"', partition: 99 },
        { value: '"b"', partition: 1 },
        { value: '"neg"', partition: -1 },
      ]);
      assert.equal(results.length, 4);
      assert.ok('error' in results[1] && isError(results[1].error, 'PARTITION_NOT_FOUND'));
      assert.ok('error' in results[3] && isError(results[3].error, 'PARTITION_NOT_FOUND'));
      const [a, , b] = results as { partition: number; position: string }[];
      assert.equal(a.partition, 2);
      assert.equal(b.partition, 1);
      assert.deepEqual(
        (await readAll(log, topic, 2)).map((r) => r.value),
        ['"a"'],
      );
      assert.deepEqual(
        (await readAll(log, topic, 1)).map((r) => r.value),
        ['"b"'],
      );
      assert.deepEqual(await readAll(log, topic, 0), []);
    });

    it('sends the same key to the same partition, and different keys over several', T, async () => {
      const topic = uniqueTopic('keys');
      await log.createTopic(topic, { partitions: 4 });
      const seen = new Set<number>();
      for (let round = 0; round < 3; round++) {
        const r = landed(
          await log.append(topic, [
            { key: 'user-1', value: '1' },
            { key: 'user-1', value: '2' },
          ]),
        );
        r.forEach((x) => seen.add(x.partition));
      }
      assert.equal(seen.size, 1, 'one partition for one key');
      const spread = landed(
        await log.append(
          topic,
          Array.from({ length: 24 }, (_, i) => ({ key: `key-${i}`, value: String(i) })),
        ),
      );
      assert.ok(new Set(spread.map((r) => r.partition)).size > 1, 'different keys spread');
    });

    it('spreads keyless records over partitions across appends', T, async () => {
      const topic = uniqueTopic('keyless');
      await log.createTopic(topic, { partitions: 4 });
      const partitions = new Set<number>();
      for (let i = 0; i < 20; i++) landed(await log.append(topic, [{ value: String(i) }])).forEach((r) => partitions.add(r.partition));
      assert.ok(partitions.size > 1, `all 20 appends went to partition ${[...partitions].join()}`);
    });

    it('starts reads at earliest, at, after, timestamp and latest', T, async () => {
      const topic = uniqueTopic('starts');
      await log.createTopic(topic, { partitions: 1 });
      const base = Date.now() - 60_000;
      landed(
        await log.append(
          topic,
          Array.from({ length: 5 }, (_, i) => ({ value: String(i), timestamp: base + i * 1000 })),
        ),
      );
      const all = await readAll(log, topic, 0);
      const pos = all.map((r) => r.position);
      const values = (rs: LogRecord[]): string[] => rs.map((r) => r.value);
      assert.deepEqual(values(all), ['0', '1', '2', '3', '4']);
      assert.deepEqual(values(await readAll(log, topic, 0, { kind: 'at', position: pos[2] })), ['2', '3', '4']);
      assert.deepEqual(values(await readAll(log, topic, 0, { kind: 'after', position: pos[2] })), ['3', '4']);
      assert.deepEqual(values(await readAll(log, topic, 0, { kind: 'after', position: pos[4] })), []);
      const t2 = all[2].timestamp;
      const firstAtT2 = all.findIndex((r) => r.timestamp >= t2);
      assert.deepEqual(values(await readAll(log, topic, 0, { kind: 'timestamp', timestampMs: t2 })), values(all.slice(firstAtT2)));
      assert.deepEqual(await readAll(log, topic, 0, { kind: 'timestamp', timestampMs: all[4].timestamp + 3_600_000 }), []);
      assert.deepEqual(await readAll(log, topic, 0, { kind: 'latest' }), []);

      const ac = new AbortController();
      const it = log.read(topic, 0, { kind: 'latest' }, { signal: ac.signal })[Symbol.asyncIterator]();
      const next = it.next();
      await sleep(30);
      landed(await log.append(topic, [{ value: '5' }]));
      const r = await next;
      assert.equal(r.done, false);
      assert.deepEqual(values(r.value as LogRecord[]), ['5']);
      ac.abort();
      assert.equal((await it.next()).done, true);
    });

    it('follow waits for records appended later, and abort ends it cleanly', T, async () => {
      const topic = uniqueTopic('follow');
      await log.createTopic(topic, { partitions: 1 });
      const ac = new AbortController();
      const got: string[] = [];
      const reading = (async () => {
        for await (const batch of log.read(topic, 0, { kind: 'earliest' }, { signal: ac.signal })) got.push(...batch.map((r) => r.value));
      })();
      await sleep(50);
      landed(await log.append(topic, [{ value: 'a' }]));
      await sleep(20);
      landed(await log.append(topic, [{ value: 'b' }, { value: 'c' }]));
      for (let i = 0; i < 100 && got.length < 3; i++) await sleep(20);
      assert.deepEqual(got, ['a', 'b', 'c']);
      ac.abort();
      await reading; // returns, does not throw

      const idle = new AbortController();
      const waitingRead = log.read(topic, 0, { kind: 'after', position: (await log.lastPosition(topic, 0))! }, { signal: idle.signal });
      const waiting = waitingRead[Symbol.asyncIterator]().next();
      setTimeout(() => idle.abort(), 50);
      assert.equal((await waiting).done, true);
    });

    it('respects maxRecords and hands a slow consumer everything, in order', T, async () => {
      const topic = uniqueTopic('batches');
      await log.createTopic(topic, { partitions: 1 });
      landed(
        await log.append(
          topic,
          Array.from({ length: 25 }, (_, i) => ({ value: String(i) })),
        ),
      );
      const sizes: number[] = [];
      const values: string[] = [];
      for await (const batch of log.read(topic, 0, { kind: 'earliest' }, { maxRecords: 10, follow: false })) {
        assert.ok(batch.length <= 10, `batch of ${batch.length}`);
        sizes.push(batch.length);
        values.push(...batch.map((r) => r.value));
        await sleep(30); // slow consumer
      }
      assert.deepEqual(
        values,
        Array.from({ length: 25 }, (_, i) => String(i)),
      );
      assert.ok(sizes.length >= 3);
      // A consumer that stops early leaves the log usable.
      for await (const batch of log.read(topic, 0, { kind: 'earliest' }, { maxRecords: 1 })) {
        assert.equal(batch.length, 1);
        break;
      }
      landed(await log.append(topic, [{ value: 'after' }]));
    });

    it('gives many concurrent appends distinct positions, all readable', T, async () => {
      const topic = uniqueTopic('concurrent');
      await log.createTopic(topic, { partitions: 2 });
      const sizes = Array.from({ length: 200 }, (_, c) => 1 + (c % 3));
      const calls = sizes.map((n, c) =>
        log.append(
          topic,
          Array.from({ length: n }, (_, i) => ({ value: `${c}.${i}`, partition: c % 2 })),
        ),
      );
      const results = (await Promise.all(calls)).map(landed);
      const sent = results.flat().length;
      assert.equal(
        sent,
        sizes.reduce((a, b) => a + b, 0),
      );
      for (const p of [0, 1]) {
        const positions = results
          .flat()
          .filter((r) => r.partition === p)
          .map((r) => r.position);
        assert.equal(new Set(positions).size, positions.length, 'distinct positions');
        const back = await readAll(log, topic, p);
        assert.deepEqual(new Set(back.map((r) => r.position)), new Set(positions));
        const perCall = new Map<string, string[]>();
        for (const r of back) {
          const [c] = r.value.split('.');
          perCall.set(c, [...(perCall.get(c) ?? []), r.value]);
        }
        for (const [c, vs] of perCall)
          assert.deepEqual(
            vs,
            vs.map((_, i) => `${c}.${i}`),
            'one call keeps its order',
          );
      }
      const values = (await Promise.all([0, 1].map((p) => readAll(log, topic, p)))).flat().map((r) => r.value);
      assert.equal(values.length, sent);
    });

    it('commits and fetches consumer positions per group (where the log keeps them)', T, async (t) => {
      if (!log.features.groupCommits) {
        await assert.rejects(log.fetchPositions('g', 'x'), coded('LOG_UNSUPPORTED'));
        return t.skip('this log keeps no consumer-group positions: pinpipe keeps them itself');
      }
      const topic = uniqueTopic('groups');
      await log.createTopic(topic, { partitions: 2 });
      const [a, b] = landed(
        await log.append(topic, [
          { value: 'a', partition: 0 },
          { value: 'b', partition: 1 },
        ]),
      );
      const [c] = landed(await log.append(topic, [{ value: 'c', partition: 0 }]));
      const group = uniqueTopic('group');
      assert.equal((await log.fetchPositions(group, topic)).size, 0);
      await log.commitPositions(group, [
        { topic, partition: 0, position: a.position },
        { topic, partition: 1, position: b.position },
      ]);
      assert.deepEqual(
        await log.fetchPositions(group, topic),
        new Map([
          [0, a.position],
          [1, b.position],
        ]),
      );
      await log.commitPositions(group, [{ topic, partition: 0, position: c.position }]);
      assert.deepEqual(
        await log.fetchPositions(group, topic),
        new Map([
          [0, c.position],
          [1, b.position],
        ]),
      );
      assert.equal((await log.fetchPositions(`${group}-other`, topic)).size, 0);
      const resumed = await readAll(log, topic, 0, { kind: 'after', position: a.position });
      assert.deepEqual(
        resumed.map((r) => r.value),
        ['c'],
      );
    });

    it('keeps records, topics and positions across a reopen', T, async (t) => {
      if (!h.reopen) return t.skip('no reopen for this implementation');
      const topic = uniqueTopic('reopen');
      await log.createTopic(topic, { partitions: 2 });
      const before = landed(
        await log.append(
          topic,
          Array.from({ length: 6 }, (_, i) => ({ value: String(i), partition: i % 2 })),
        ),
      );
      const group = uniqueTopic('group');
      const groups = log.features.groupCommits;
      if (groups) await log.commitPositions(group, [{ topic, partition: 1, position: before[1].position }]);
      await log.close();
      log = await h.reopen();
      assert.equal((await log.describeTopic(topic))?.partitions, 2);
      assert.deepEqual(
        (await readAll(log, topic, 0)).map((r) => r.value),
        ['0', '2', '4'],
      );
      assert.deepEqual(
        (await readAll(log, topic, 1)).map((r) => r.value),
        ['1', '3', '5'],
      );
      if (groups) assert.deepEqual(await log.fetchPositions(group, topic), new Map([[1, before[1].position]]));
      const [after] = landed(await log.append(topic, [{ value: '6', partition: 0 }]));
      assert.ok(log.comparePositions(before[4].position, after.position) < 0, 'new positions continue after the old ones');
    });

    it('refuses work after close with CLOSED', T, async () => {
      const topic = uniqueTopic('closed');
      await log.createTopic(topic, { partitions: 1 });
      await log.close();
      await assert.rejects(log.append(topic, [{ value: '1' }]), coded('CLOSED'));
      await log.close(); // twice is fine
    });
  });
}
