import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { streamNames } from '../../../src/core/config.js';
import { readJobStatus, streamTableKeys } from '../../../src/jobs/stream/index.js';
import { LocalObjectStore } from '../../../src/lake/local/local-store.js';
import { openSqliteLog } from '../../../src/log/sqlite/sqlite-log.js';
import { RECORD_KINDS, type RecordKind } from '../../../src/transforms/index.js';
import { readDeltaTableIndependently } from '../../helpers/independent-delta.js';
import { startPinpipe, type RunningServer } from '../../helpers/server.js';
import { tempDir } from '../../helpers/temp.js';
import { expectedRows, sortByInd } from './helpers.js';

const run = promisify(execFile);
const STREAMS = streamNames('pinterest');
const TABLES = streamTableKeys('pinterest');

/** The record of `id` for a kind: always the same, so a resend is a true duplicate. */
function record(kind: RecordKind, id: number): Record<string, unknown> {
  if (kind === 'pin') return { index: id, title: `t${id}`, follower_count: `${id % 900}k`, category: 'art', save_location: 'Local save in /data/art' };
  if (kind === 'geo') return { ind: id, timestamp: '2020-01-02 03:04:05', latitude: (id % 90) + 0.5, longitude: -1.25, country: `c${id % 7}` };
  return { ind: id, first_name: 'Ann', last_name: `B${id}`, age: 20 + (id % 40), date_joined: '2016-05-06T07:08:09' };
}

interface Acked {
  keys: Record<RecordKind, Set<number>>;
  garbage: Set<string>;
}

/** Posts batches to the gateway's /records until stopped: mostly new ids, some resends, a little garbage. */
async function writer(getUrl: () => string, acked: Acked, stop: AbortSignal, seed: number): Promise<void> {
  let next = seed * 1_000_000;
  let n = 0;
  while (!stop.aborted) {
    const kind = RECORD_KINDS[n++ % 3];
    const items: { data: unknown; key: number | string }[] = [];
    for (let i = 0; i < 1 + (n % 8); i++) {
      if (n % 13 === 0 && i === 0) items.push({ data: `garbage-${seed}-${n}`, key: `garbage-${seed}-${n}` });
      else if (next > seed * 1_000_000 + 5 && i % 4 === 3) items.push({ data: record(kind, next - 1 - (n % 5)), key: next - 1 - (n % 5) });
      else items.push({ data: record(kind, next), key: next++ });
    }
    try {
      const res = await fetch(`${getUrl()}/streams/${STREAMS[kind]}/records`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ records: items.map((it) => ({ data: it.data, 'partition-key': String(it.key) })) }),
      });
      if (res.status !== 200) continue;
      const body = (await res.json()) as { Records: { SequenceNumber?: string }[] };
      body.Records.forEach((r, i) => {
        if (!r.SequenceNumber) return;
        const k = items[i].key;
        if (typeof k === 'string') acked.garbage.add(JSON.stringify(k));
        else acked.keys[kind].add(k);
      });
    } catch {
      await sleep(20); // the server is down: keep trying, as a producer would
    }
  }
}

describe('kill -9 (and one SIGTERM) of pinpipe up while records stream in', () => {
  it('leaves each table holding exactly the distinct keys of its stream (all acknowledged ones, none twice) and valid', async (ctx) => {
    const { dir, cleanup } = tempDir('pinpipe-stream-kill9');
    const data = join(dir, 'data');
    const env = {
      PINPIPE_STREAM_SHARDS: '2',
      PINPIPE_STREAM_MIN_INTERVAL_MS: '30',
      PINPIPE_STREAM_COMPACT_EVERY_COMMITS: '7',
      PINPIPE_STREAM_POSITION_COMMIT_INTERVAL_MS: '200',
    };
    const cli = (args: string[]) =>
      run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--data-dir', data, ...args], {
        env: { ...process.env, PINPIPE_LOG_LEVEL: 'warn', ...env },
        timeout: 120_000,
      });
    try {
      let server: RunningServer = await startPinpipe(['--data-dir', data, 'up', '--port', '0'], env);
      let url = server.url;
      for (const kind of RECORD_KINDS) {
        const res = await fetch(`${url}/streams/${STREAMS[kind]}`);
        assert.equal(
          ((await res.json()) as { StreamDescription: { Shards: unknown[] } }).StreamDescription.Shards.length,
          2,
          'the job created the streams with stream.shards',
        );
      }
      const acked: Acked = { keys: { pin: new Set(), geo: new Set(), user: new Set() }, garbage: new Set() };
      const stop = new AbortController();
      const writing = Promise.all([1, 2, 3, 4].map((seed) => writer(() => url, acked, stop.signal, seed)));
      for (let round = 0; round < 5; round++) {
        await sleep(300 + Math.floor(Math.random() * 1200));
        if (round === 2) {
          const t0 = Date.now();
          assert.equal(await server.stop('SIGTERM'), 0, 'a clean stop under load finishes the batch in flight and exits 0');
          ctx.diagnostic(`SIGTERM under load: stopped in ${Date.now() - t0} ms`);
        } else assert.equal(await server.stop('SIGKILL'), null);
        server = await startPinpipe(['--data-dir', data, 'up', '--port', '0'], env);
        url = server.url;
      }
      await sleep(800);
      stop.abort();
      await writing;
      assert.equal(await server.stop('SIGTERM'), 0, server.output());
      await cli(['stream', '--until-caught-up']); // what is left, then a clean exit

      const log = await openSqliteLog({ path: join(data, 'log', 'pinpipe.db') });
      const inLog: Record<RecordKind, string[]> = { pin: [], geo: [], user: [] };
      for (const kind of RECORD_KINDS) {
        for (let p = 0; p < 2; p++)
          for await (const batch of log.read(STREAMS[kind], p, { kind: 'earliest' }, { follow: false })) inLog[kind].push(...batch.map((r) => r.value));
      }
      await log.close();
      let total = 0;
      for (const kind of RECORD_KINDS) {
        const t = await readDeltaTableIndependently(join(data, 'lake', TABLES[kind]));
        const keys = t.rows.map((r) => Number(r.ind));
        assert.equal(new Set(keys).size, keys.length, `${kind}: no key twice`);
        for (const k of acked.keys[kind]) assert.ok(keys.includes(k), `${kind}: acknowledged key ${k} missing`);
        assert.deepEqual(sortByInd(t.rows), expectedRows(kind, inLog[kind], t.schema), `${kind}: exactly the distinct keys of the stream, cleaned`);
        assert.ok(acked.keys[kind].size > 50, `${kind}: only ${acked.keys[kind].size} keys acknowledged`);
        total += keys.length;
        ctx.diagnostic(
          `${kind}: ${inLog[kind].length} records in the log, ${acked.keys[kind].size} keys acknowledged, ${keys.length} rows at version ${t.version} (checkpoint ${t.checkpointVersion}, ${t.files.length} files)`,
        );
      }
      const rejects = await readDeltaTableIndependently(join(data, 'lake', TABLES.rejects));
      const rejected = rejects.rows.map((r) => String(r.payload));
      assert.equal(new Set(rejected).size, rejected.length, 'no reject twice');
      for (const g of acked.garbage) assert.ok(rejected.includes(g), `acknowledged garbage ${g} not in the rejects`);
      const garbageInLog = RECORD_KINDS.flatMap((k) => inLog[k].filter((v) => v.startsWith('"garbage-')));
      assert.deepEqual([...rejected].sort(), garbageInLog.sort());

      const statusLog = await openSqliteLog({ path: join(data, 'log', 'pinpipe.db') });
      const durable = await readJobStatus({
        log: statusLog,
        store: new LocalObjectStore(join(data, 'lake')),
        prefix: 'pinterest',
        jobId: 'pinpipe-stream',
      }).finally(() => statusLog.close());
      assert.deepEqual(
        durable.streams.map((s) => s.lag),
        [0, 0, 0],
        'caught up, positions committed',
      );
      assert.equal(
        durable.streams.reduce((n, s) => n + (s.table?.rows ?? 0), 0),
        total,
      );
    } finally {
      cleanup();
    }
  });
});
