import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { peerMissing, startPinpipe } from '../helpers/server.js';
import { tempDir } from '../helpers/temp.js';

const hasPython = spawnSync('python3', ['-c', 'import requests'], { stdio: 'ignore' }).status === 0;

// The original project's sender: one record per POST, json.dumps body, Kafka JSON content type.
const SENDER = `
import json, sys, urllib.request
import requests
base, prefix, path = sys.argv[1], sys.argv[2], sys.argv[3]
rows = [json.loads(l) for l in open(path, encoding="utf-8")]
out = []
for i, rec in enumerate(rows):
    kind = rec.pop("__kind")
    invoke_url = f"{base}/topics/{prefix}.{kind}"
    payload = json.dumps({"records": [{"value": rec}]}, default=str)
    headers = {"Content-Type": "application/vnd.kafka.json.v2+json"}
    if i % 2 == 0:
        response = requests.request("POST", invoke_url, headers=headers, data=payload)
        status, body = response.status_code, response.json()
    else:
        req = urllib.request.Request(invoke_url, data=payload.encode("ascii"), headers=headers, method="POST")
        with urllib.request.urlopen(req) as r:
            status, body = r.status, json.loads(r.read())
    out.append({"kind": kind, "status": status, "body": body})
print(json.dumps(out))
`;

describe('a Python client written like the original project', { skip: hasPython ? false : peerMissing('python3 with requests') }, () => {
  it('gets 200s with offsets and finds every record exactly once in the lake, with Connect object names', async () => {
    const { dir, cleanup } = tempDir('pinpipe-py');
    try {
      const { generateRow } = await import('../../src/emulator/index.js');
      const sent: { kind: 'pin' | 'geo' | 'user'; value: object }[] = [];
      for (let i = 0; i < 12; i++) {
        const row = generateRow(i * 37, 7);
        sent.push({ kind: 'pin', value: row.pin }, { kind: 'geo', value: row.geo }, { kind: 'user', value: row.user });
      }
      const input = join(dir, 'rows.jsonl');
      writeFileSync(input, sent.map((s) => JSON.stringify({ ...s.value, __kind: s.kind })).join('\n'));
      const server = await startPinpipe(['--data-dir', join(dir, 'data'), 'up', '--port', '0'], { PINPIPE_SINK_FLUSH_SIZE: '1' });
      const py = spawnSync('python3', ['-c', SENDER, server.url, 'pinterest', input], { encoding: 'utf8' });
      assert.equal(py.status, 0, py.stderr);
      const objects = () =>
        ['pin', 'geo', 'user']
          .map((k) => join(dir, 'data', 'lake', 'topics', `pinterest.${k}`, 'partition=0'))
          .reduce((n, f) => n + (existsSync(f) ? readdirSync(f).length : 0), 0);
      for (const end = Date.now() + 15_000; objects() < 36 && Date.now() < end;) await sleep(50);
      const replies = JSON.parse(py.stdout) as { kind: string; status: number; body: { offsets: { partition: number; offset: number; error_code: null }[] } }[];
      assert.equal(await server.stop('SIGTERM'), 0, server.output());

      const perKind = { pin: 0, geo: 0, user: 0 };
      for (const r of replies) {
        assert.equal(r.status, 200);
        assert.deepEqual(r.body.offsets, [{ partition: 0, offset: perKind[r.kind as 'pin']++, error_code: null, error: null }]);
      }
      for (const kind of ['pin', 'geo', 'user'] as const) {
        const topic = `pinterest.${kind}`;
        const folder = join(dir, 'data', 'lake', 'topics', topic, 'partition=0');
        const names = readdirSync(folder).sort();
        assert.deepEqual(
          names,
          Array.from({ length: 12 }, (_, i) => `${topic}+0+${String(i).padStart(10, '0')}.json`),
        );
        const expected = sent.filter((s) => s.kind === kind).map((s) => s.value);
        names.forEach((name, i) => {
          const text = readFileSync(join(folder, name), 'utf8');
          assert.ok(text.endsWith('\n') && text.indexOf('\n') === text.length - 1, 'one record per object, newline-terminated');
          assert.equal(text.slice(0, -1), JSON.stringify(expected[i]), 'same JSON value, same key order');
        });
      }
    } finally {
      cleanup();
    }
  });
});
