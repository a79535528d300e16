import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isError } from '../../src/core/errors.js';
import { jsonDepth } from '../../src/ingest/json-limits.js';
import { valueSpans } from '../../src/ingest/json-spans.js';
import { parseProduceBody } from '../../src/ingest/produce-body.js';

const limits = { maxRecordsPerRequest: 10_000, maxRecordBytes: 1_000_000, maxJsonDepth: 100 };
/** What the log would store for each valid record of a body. */
function stored(body: string | Buffer): string[] {
  const p = parseProduceBody(Buffer.isBuffer(body) ? body : Buffer.from(body), undefined, limits);
  return Array.from(p.starts, (s, j) => Buffer.from(p.bytes.subarray(s, p.ends[j])).toString('utf8'));
}

/** A small seeded PRNG (mulberry32), so a failure can be replayed. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const STRINGS = [
  '',
  'plain',
  'Ünïcødé ✨ 𝄞',
  'quote " and \\ backslash',
  'braces {}[] , : in text',
  'tab\tnewline\n',
  '"value"',
  'records',
  '\u2028\u0000\u001f',
];
function randomValue(r: () => number, depth = 0): unknown {
  const k = Math.floor(r() * (depth > 2 ? 5 : 7));
  if (k === 0) return null;
  if (k === 1) return r() < 0.5;
  if (k === 2) return Math.round((r() - 0.5) * 1e6) / (r() < 0.5 ? 1 : 100);
  if (k === 3 || k === 4) return STRINGS[Math.floor(r() * STRINGS.length)];
  if (k === 5) return Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth + 1));
  const o: Record<string, unknown> = {};
  for (let i = Math.floor(r() * 4); i > 0; i--) o[STRINGS[Math.floor(r() * STRINGS.length)] || 'k'] = randomValue(r, depth + 1);
  return o;
}
/** JSON text of `v`, with whitespace between tokens when `space` says so (strings and numbers as JSON.stringify writes them). */
function format(v: unknown, space: () => string): string {
  if (Array.isArray(v)) return `[${space()}${v.map((x) => format(x, space)).join(`${space()},${space()}`)}${space()}]`;
  if (v !== null && typeof v === 'object')
    return `{${space()}${Object.entries(v)
      .map(([k, x]) => `${JSON.stringify(k)}${space()}:${space()}${format(x, space)}`)
      .join(`${space()},${space()}`)}${space()}}`;
  return JSON.stringify(v);
}

describe('produce bodies: what the log stores for each value', () => {
  it('stores a compact value as the very bytes sent, and any other as JSON.stringify of what JSON.parse read', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const r = rng(seed);
      const values = Array.from({ length: 1 + Math.floor(r() * 5) }, () => randomValue(r));
      const spaced = r() < 0.5;
      const space = () => (spaced && r() < 0.3 ? [' ', '\n', '\t', '\r\n  '][Math.floor(r() * 4)] : '');
      const body = `${space()}{${space()}"records"${space()}:${space()}[${values.map((v) => `${space()}{${space()}"value"${space()}:${space()}${format(v, space)}${space()}}`).join(',')}]${space()}}${space()}`;
      assert.deepEqual(
        stored(body),
        values.map((v) => JSON.stringify(v)),
        `seed ${seed}: ${body}`,
      );
    }
  });

  it('keeps the text of a compact value exactly (number forms, escapes, duplicate keys inside it)', () => {
    const values = ['1.50', '1e3', '-0', '"caf\\u00e9 \\/ \\"q\\""', '{"a":1,"a":2}', '[true,false,null]', '{"records":[{"value":1}]}'];
    assert.deepEqual(stored(`{"records":[${values.map((v) => `{"value":${v}}`).join(',')}]}`), values);
  });

  it('finds the value JSON.parse takes: the last "value" member, the last "records" member, not one nested in a key or string', () => {
    const body =
      '{"records":[{"value":0}],"x":"{\\"records\\":[]}","records":[{"value":1,"value":2},{"key":{"value":"no"},"value":3},{"value":"a \\"value\\": 4"},{"partition":0,"value":[5]}]}';
    assert.deepEqual(stored(body), ['2', '3', '"a \\"value\\": 4"', '[5]']);
  });

  it('re-serialises when a key is written with escapes (it may decode to "value" or "records")', () => {
    assert.deepEqual(stored('{"records":[{"valu\\u0065":{"b":1}}]}'), ['{"b":1}']);
    assert.deepEqual(stored('{"records":[{"value":1}],"rec\\u006frds":[{"value":{"c":2}}]}'), ['{"c":2}']);
    assert.deepEqual(stored('{"records":[{"value":1,"\\u0076alue":7}]}'), ['7']);
    assert.equal(valueSpans(Buffer.from('{"rec\\u006frds":[]}')), undefined);
  });

  it('stores what Python json.dumps sends (spaces after separators, \\u escapes) re-serialised, and the same bytes a JavaScript client sends as they are', () => {
    const pin = { index: 7528, title: 'Ünïcødé ✨', follower_count: '51k', tags: ['a', 'b'] };
    const python = '{"records": [{"value": {"index": 7528, "title": "\\u00dcn\\u00efc\\u00f8d\\u00e9 \\u2728", "follower_count": "51k", "tags": ["a", "b"]}}]}';
    assert.deepEqual(stored(python), [JSON.stringify(pin)]);
    assert.deepEqual(stored(JSON.stringify({ records: [{ value: pin }] })), [JSON.stringify(pin)]);
  });

  it('refuses a body that is not UTF-8, and leaves refused records out with their errors', () => {
    assert.throws(
      () => parseProduceBody(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), undefined, limits),
      (e) => isError(e, 'INVALID_BODY') && /UTF-8/.test(e.message),
    );
    const p = parseProduceBody(
      Buffer.from('{"records":[{"value":1},7,{"key":"k"},{"value":"x","key":{"id":1},"partition":2},{"value":2,"partition":-1}]}'),
      undefined,
      limits,
    );
    assert.deepEqual(p.slots, [0, 3]);
    assert.deepEqual(
      p.errors.map((e) => [e.slot, e.kind]),
      [
        [1, 'INVALID_RECORD'],
        [2, 'INVALID_RECORD'],
        [4, 'INVALID_RECORD'],
      ],
    );
    assert.deepEqual(p.keys, [null, '{"id":1}']);
    assert.deepEqual(p.partitions, [null, 2]);
  });

  it('refuses a key or value nesting deeper than maxJsonDepth as that record only, however it is written', () => {
    const nest = (n: number): string => '['.repeat(n) + ']'.repeat(n);
    for (const [how, body] of [
      ['compact', (v: string, k: string) => `{"records":[{"value":1},{"value":${v}},{"key":${k},"value":2},{"value":3}]}`],
      ['spaced', (v: string, k: string) => `{"records": [{"value": 1}, {"value": ${v}}, {"key": ${k}, "value": 2}, {"value": 3}]}`],
      ['escaped keys', (v: string, k: string) => `{"records":[{"\u0076alue":1},{"\u0076alue":${v}},{"key":${k},"\u0076alue":2},{"value":3}]}`],
    ] as const) {
      for (const depth of [101, 20_000, 100_000]) {
        const p = parseProduceBody(Buffer.from(body(nest(depth), nest(depth))), undefined, limits);
        assert.deepEqual(p.slots, [0, 3], how);
        assert.deepEqual(
          p.errors.map((e) => [e.slot, e.kind]),
          [
            [1, 'INVALID_RECORD'],
            [2, 'INVALID_RECORD'],
          ],
          how,
        );
        assert.match(p.errors[0].message, /deeper than 100 levels/);
      }
      const atLimit = parseProduceBody(Buffer.from(body(nest(100), nest(100))), undefined, limits);
      assert.deepEqual(atLimit.errors, [], `${how}: 100 levels are allowed`);
    }
  });

  it('measures the depth of each value from its bytes as JSON.parse would (random values)', () => {
    const r = rng(7);
    for (let n = 0; n < 300; n++) {
      const values = Array.from({ length: 1 + Math.floor(r() * 4) }, () => randomValue(r));
      const spans = valueSpans(Buffer.from(JSON.stringify({ records: values.map((value) => ({ value })) })))!;
      assert.deepEqual(
        spans.depths,
        values.map((v) => jsonDepth(v, 1000)),
      );
    }
  });
});
