/**
 * Checks on parsed JSON that JSON.parse does not make: how deep it nests (a value nested
 * thousands of levels deep parses, but JSON.stringify and most readers recurse and overflow their
 * stack on it), numbers it turned into Infinity (`1e400`: JSON.stringify would write `null`), and
 * strings holding a lone UTF-16 surrogate (`"\ud800"`: no UTF-8 text can hold it, so the lake's
 * readers refuse it).
 */

declare global {
  interface String {
    /** ES2024 (Node 20 has it; the ES2023 lib of our tsconfig does not declare it). */
    isWellFormed(): boolean;
  }
}

/** Nesting levels a request body may add around a record's key or value (`{"records":[{"value": …}]}`). */
export const ENVELOPE_DEPTH = 3;

/**
 * The nesting depth of a parsed JSON value (a scalar is 0, `[]` and `{}` are 1, `[[1]]` is 2),
 * counted without recursion and given up as soon as it passes `limit` (then the result is
 * `limit + 1`), so a hostile value costs no more than `limit` levels of work per path.
 */
export function jsonDepth(value: unknown, limit: number): number {
  if (value === null || typeof value !== 'object') return 0;
  const stack: unknown[] = [value];
  const depths: number[] = [1];
  let max = 0;
  while (stack.length > 0) {
    const v = stack.pop() as object;
    const d = depths.pop()!;
    if (d > max) {
      max = d;
      if (max > limit) return limit + 1;
    }
    const children = Array.isArray(v) ? v : Object.values(v);
    for (const c of children) {
      if (c !== null && typeof c === 'object') {
        stack.push(c);
        depths.push(d + 1);
      }
    }
  }
  return max;
}

/**
 * Why a parsed JSON value cannot be stored as it was sent, or undefined: a number out of the range
 * of a double, or a string (or member name) with a lone surrogate. Walks without recursion: call
 * it on values whose depth is checked already.
 */
export function jsonValueProblem(value: unknown): string | undefined {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    switch (typeof v) {
      case 'number':
        if (!Number.isFinite(v)) return 'a number out of the range of a 64-bit float (e.g. 1e400)';
        break;
      case 'string':
        if (!v.isWellFormed()) return 'a string with a lone UTF-16 surrogate (e.g. "\\ud800")';
        break;
      case 'object':
        if (v === null) break;
        if (Array.isArray(v)) {
          for (const c of v) if (c !== null && typeof c !== 'boolean') stack.push(c);
        } else {
          for (const k in v) {
            if (!k.isWellFormed()) return 'a member name with a lone UTF-16 surrogate';
            const c = (v as Record<string, unknown>)[k];
            if (c !== null && typeof c !== 'boolean') stack.push(c);
          }
        }
        break;
    }
  }
  return undefined;
}

/** Why a record's parsed key or value is refused, or undefined: nested deeper than `maxJsonDepth`, or a value JSON cannot carry. */
export function recordJsonProblem(value: unknown, maxJsonDepth: number): string | undefined {
  if (jsonDepth(value, maxJsonDepth) > maxJsonDepth) return `nests deeper than ${maxJsonDepth} levels (api.maxJsonDepth)`;
  const bad = jsonValueProblem(value);
  return bad === undefined ? undefined : `holds ${bad}`;
}

/** Why a parsed request body is refused, or undefined: nested deeper than a record may nest plus its envelope, or holding a value JSON cannot carry. */
export function bodyProblem(body: unknown, maxJsonDepth: number): string | undefined {
  const limit = maxJsonDepth + ENVELOPE_DEPTH;
  if (jsonDepth(body, limit) > limit) return `Request body nests deeper than ${limit} levels (keys and values may nest ${maxJsonDepth}: api.maxJsonDepth).`;
  const bad = jsonValueProblem(body);
  return bad === undefined ? undefined : `Request body holds ${bad}.`;
}
