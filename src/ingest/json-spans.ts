/**
 * Where each record's value lies in a produce body's bytes, so the log can store the bytes the
 * client sent instead of re-serialising every value. Only ever run on a body that JSON.parse has
 * accepted: this is a skipper over valid JSON, not a parser, and it never decides validity.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
const RECORDS = Buffer.from('"records"');
const VALUE = Buffer.from('"value"');

/** A record's value in the body: bytes [start, end). `start` is -1 when the record has no plainly written "value" member. */
export interface ValueSpans {
  starts: number[];
  ends: number[];
  /** True when the value holds no whitespace outside its strings (it is compact as sent). */
  compact: boolean[];
  /** How deep the value nests (a scalar 0, `{}` 1); 0 where start is -1. */
  depths: number[];
}

/** What a value's scan notices: whitespace outside strings, and how deep it nests. */
interface ScanNotes {
  seen: boolean;
  depth: number;
}

function skipSpace(b: Uint8Array, i: number): number {
  while (isSpace(b[i])) i++;
  return i;
}

/** End (exclusive) of the string whose opening quote is at `i`. */
function stringEnd(b: Uint8Array, i: number): number {
  for (i++; ; i++) {
    const c = b[i];
    if (c === BACKSLASH) i++;
    else if (c === QUOTE) return i + 1;
  }
}

/** End (exclusive) of the value starting at `i`; `space.seen` is set when it holds whitespace outside strings, `space.depth` raised to its depth. */
function valueEnd(b: Uint8Array, i: number, space: ScanNotes): number {
  const c = b[i];
  if (c === QUOTE) return stringEnd(b, i);
  if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
    for (let depth = 0; ;) {
      const d = b[i];
      if (d === QUOTE) {
        i = stringEnd(b, i);
        continue;
      }
      if (d === OPEN_OBJECT || d === OPEN_ARRAY) {
        if (++depth > space.depth) space.depth = depth;
      } else if (d === CLOSE_OBJECT || d === CLOSE_ARRAY) {
        if (--depth === 0) return i + 1;
      } else if (isSpace(d)) space.seen = true;
      i++;
    }
  }
  while (i < b.length && !isSpace(b[i]) && b[i] !== COMMA && b[i] !== CLOSE_OBJECT && b[i] !== CLOSE_ARRAY) i++;
  return i;
}

function same(b: Uint8Array, start: number, end: number, word: Uint8Array): boolean {
  if (end - start !== word.length) return false;
  for (let k = 0; k < word.length; k++) if (b[start + k] !== word[k]) return false;
  return true;
}

function hasEscape(b: Uint8Array, start: number, end: number): boolean {
  for (let k = start; k < end; k++) if (b[k] === BACKSLASH) return true;
  return false;
}

/**
 * The value spans of the elements of the body's `records` array (the last such member, as
 * JSON.parse takes it), in order; undefined when the body is not laid out as spans can describe
 * it (a top-level key written with escapes, no records array): then re-serialise instead.
 */
export function valueSpans(b: Uint8Array): ValueSpans | undefined {
  let i = skipSpace(b, 0);
  if (b[i] !== OPEN_OBJECT) return undefined;
  let found: ValueSpans | undefined;
  const ignored = { seen: false, depth: 0 };
  for (i++; ;) {
    i = skipSpace(b, i);
    if (b[i] === CLOSE_OBJECT) return found;
    if (b[i] === COMMA) {
      i++;
      continue;
    }
    const keyEnd = stringEnd(b, i);
    if (hasEscape(b, i, keyEnd)) return undefined;
    const isRecords = same(b, i, keyEnd, RECORDS);
    i = skipSpace(b, skipSpace(b, keyEnd) + 1); // past the colon
    if (isRecords && b[i] === OPEN_ARRAY) [found, i] = recordSpans(b, i);
    else i = valueEnd(b, i, ignored);
  }
}

/** The spans of the array at `i` and the index after it. */
function recordSpans(b: Uint8Array, i: number): [ValueSpans, number] {
  const spans: ValueSpans = { starts: [], ends: [], compact: [], depths: [] };
  const ignored = { seen: false, depth: 0 };
  const space = { seen: false, depth: 0 };
  for (i++; ;) {
    i = skipSpace(b, i);
    if (b[i] === CLOSE_ARRAY) return [spans, i + 1];
    if (b[i] === COMMA) {
      i++;
      continue;
    }
    let start = -1;
    let end = -1;
    let spaced = false;
    let depth = 0;
    if (b[i] !== OPEN_OBJECT) {
      i = valueEnd(b, i, ignored);
    } else {
      let escaped = false;
      for (i++; ;) {
        i = skipSpace(b, i);
        if (b[i] === CLOSE_OBJECT) {
          i++;
          break;
        }
        if (b[i] === COMMA) {
          i++;
          continue;
        }
        const keyEnd = stringEnd(b, i);
        escaped ||= hasEscape(b, i, keyEnd);
        const isValue = same(b, i, keyEnd, VALUE);
        i = skipSpace(b, skipSpace(b, keyEnd) + 1);
        space.seen = false;
        space.depth = 0;
        const vEnd = valueEnd(b, i, space);
        if (isValue) [start, end, spaced, depth] = [i, vEnd, space.seen, space.depth]; // the last one wins, as in JSON.parse
        i = vEnd;
      }
      if (escaped) start = -1; // a key written with escapes may decode to "value": leave it to JSON.parse
    }
    spans.starts.push(start);
    spans.ends.push(end);
    spans.compact.push(!spaced);
    spans.depths.push(start < 0 ? 0 : depth);
  }
}
