import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : /\.(ts|md|mjs)$/.test(name) ? [p] : [];
  });
}

describe('the docs stand on their own', () => {
  it('no file refers to a spec or design document outside the repository', () => {
    for (const f of ['README.md', ...files('docs'), ...files('src')]) {
      const text = readFileSync(f, 'utf8');
      assert.doesNotMatch(text, /SPEC §|\.\.\/shared\/|shared\/(SPEC|DESIGN)\.md/, f);
    }
  });
});
