import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { generateFiles, generateRow } from '../../src/emulator/index.js';
import { tempDir } from '../helpers/temp.js';

describe('generateFiles', () => {
  it('writes pin.jsonl, geo.jsonl and user.jsonl with one compact record per line', async () => {
    const { dir, cleanup } = tempDir('pinpipe-gen');
    try {
      const progress: number[] = [];
      const r = await generateFiles({ rows: 25_000, seed: 3, outDir: join(dir, 'out'), onProgress: (n) => progress.push(n) });
      assert.deepEqual(r.records, { pin: 25_000, geo: 25_000, user: 25_000 });
      assert.deepEqual(progress, [10_000, 20_000, 25_000]);
      for (const kind of ['pin', 'geo', 'user'] as const) {
        const text = readFileSync(join(dir, 'out', `${kind}.jsonl`), 'utf8');
        assert.equal(Buffer.byteLength(text), r.bytes[kind]);
        assert.equal(r.files[kind], join(dir, 'out', `${kind}.jsonl`));
        assert.ok(text.endsWith('\n'));
        const lines = text.slice(0, -1).split('\n');
        assert.equal(lines.length, 25_000);
        for (const i of [0, 1, 12_345, 24_999]) {
          assert.equal(lines[i], JSON.stringify(generateRow(i, 3)[kind]));
        }
        lines.forEach((l, i) => {
          const v = JSON.parse(l) as Record<string, unknown>;
          assert.equal(v[kind === 'pin' ? 'index' : 'ind'], i);
        });
      }
    } finally {
      cleanup();
    }
  });
  it('writes empty files for zero rows', async () => {
    const { dir, cleanup } = tempDir('pinpipe-gen');
    try {
      const r = await generateFiles({ rows: 0, outDir: dir });
      assert.deepEqual(r.bytes, { pin: 0, geo: 0, user: 0 });
      assert.equal(readFileSync(join(dir, 'pin.jsonl'), 'utf8'), '');
    } finally {
      cleanup();
    }
  });
});
