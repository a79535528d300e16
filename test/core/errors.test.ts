import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { USAGE_KINDS } from '../../src/cli/fail.js';
import { ERRORS } from '../../src/core/errors.js';

describe('error table', () => {
  it('docs/errors.md lists exactly the codes of src/core/errors.ts', () => {
    const rows = readFileSync('docs/errors.md', 'utf8')
      .split('\n')
      .filter((l) => /^\| [A-Z_]+ \|/.test(l))
      .map((l) => l.split('|').map((c) => c.trim()));
    const documented = Object.fromEntries(rows.map((r) => [r[1], { restCode: Number(r[2]), status: Number(r[3]), retryable: r[4] === 'yes' }]));
    const actual = Object.fromEntries(Object.entries(ERRORS).map(([k, v]) => [k, { restCode: v.restCode, status: v.status, retryable: v.retryable }]));
    assert.deepEqual(documented, actual);
  });
  it('gives every kind a distinct REST code', () => {
    const codes = Object.values(ERRORS).map((e) => e.restCode);
    assert.equal(new Set(codes).size, codes.length);
  });
});

describe('CLI exit codes', () => {
  it('docs/errors.md names exactly the kinds that exit with 2', () => {
    const line = readFileSync('docs/errors.md', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('The kinds that exit with 2:'));
    assert.ok(line, 'the exit-code line is in docs/errors.md');
    const documented = line
      .replace(/^The kinds that exit with 2: /, '')
      .replace(/\.$/, '')
      .split(', ');
    assert.deepEqual(new Set(documented), new Set(USAGE_KINDS));
    for (const kind of documented) assert.ok(kind in ERRORS, kind);
  });
});
