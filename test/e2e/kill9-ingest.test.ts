import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { openSqliteLog } from '../../src/log/sqlite/sqlite-log.js';
import { startPinpipe, type RunningServer } from '../helpers/server.js';
import { tempDir } from '../helpers/temp.js';

/** Posts batches of unique ids until stopped; remembers the ids whose offsets came back. */
async function writer(getUrl: () => string, acked: Set<number>, stop: AbortSignal): Promise<number> {
  let next = 0;
  let sent = 0;
  const one = async () => {
    while (!stop.aborted) {
      const ids = Array.from({ length: 1 + (next % 5) }, () => next++);
      sent += ids.length;
      try {
        const res = await fetch(`${getUrl()}/topics/pinterest.pin`, {
          method: 'POST',
          headers: { 'content-type': 'application/vnd.kafka.json.v2+json' },
          body: JSON.stringify({ records: ids.map((id) => ({ value: { id, pad: 'x'.repeat(id % 50) } })) }),
        });
        if (res.status !== 200) continue;
        const body = (await res.json()) as { offsets: { error_code: number | null }[] };
        body.offsets.forEach((o, i) => o.error_code === null && acked.add(ids[i]));
      } catch {
        await sleep(20); // server down: keep trying, as a real producer would
      }
    }
  };
  await Promise.all([one(), one(), one(), one()]);
  return sent;
}

describe('kill -9 during ingestion', () => {
  it('keeps every acknowledged record in the log and puts each exactly once in the lake', async () => {
    const { dir, cleanup } = tempDir('pinpipe-kill9');
    const data = join(dir, 'data');
    const env = { PINPIPE_SINK_FLUSH_SIZE: '7', PINPIPE_SINK_ROTATE_INTERVAL_MS: '50' };
    try {
      let server: RunningServer = await startPinpipe(['--data-dir', data, 'up', '--port', '0'], env);
      let url = server.url;
      const acked = new Set<number>();
      const stop = new AbortController();
      const writing = writer(() => url, acked, stop.signal);
      for (let round = 0; round < 3; round++) {
        await sleep(300 + Math.floor(Math.random() * 900));
        assert.equal(await server.stop('SIGKILL'), null);
        server = await startPinpipe(['--data-dir', data, 'up', '--port', '0'], env);
        url = server.url;
      }
      await sleep(500);
      stop.abort();
      await writing;
      assert.equal(await server.stop('SIGTERM'), 0, server.output());
      assert.ok(acked.size > 100, `only ${acked.size} records acknowledged`);

      const log = await openSqliteLog({ path: join(data, 'log', 'pinpipe.db') });
      const inLog: number[] = [];
      for await (const batch of log.read('pinterest.pin', 0, { kind: 'earliest' }, { follow: false }))
        inLog.push(...batch.map((r) => (JSON.parse(r.value) as { id: number }).id));
      await log.close();
      const logSet = new Set(inLog);
      assert.equal(logSet.size, inLog.length, 'no record twice in the log');
      for (const id of acked) assert.ok(logSet.has(id), `acknowledged record ${id} lost from the log`);

      const folder = join(data, 'lake', 'topics', 'pinterest.pin', 'partition=0');
      const inLake: number[] = [];
      let expectedStart = 0;
      for (const name of readdirSync(folder).sort()) {
        assert.equal(name, `pinterest.pin+0+${String(expectedStart).padStart(10, '0')}.json`, 'objects tile the offsets without gaps or overlaps');
        const lines = readFileSync(join(folder, name), 'utf8').split('\n').slice(0, -1);
        inLake.push(...lines.map((l) => (JSON.parse(l) as { id: number }).id));
        expectedStart += lines.length;
      }
      assert.deepEqual(inLake, inLog, 'the lake holds exactly the log, once, in order');
    } finally {
      cleanup();
    }
  });
});
