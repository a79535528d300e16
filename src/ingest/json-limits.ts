/**
 * Checks on parsed JSON that JSON.parse does not make: how deep it nests (a value nested
 * thousands of levels deep parses, but JSON.stringify and most readers recurse and overflow their
 * stack on it), and, later, values JSON.parse turns into something else.
 */

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

/** Why a parsed request body is refused, or undefined: nested deeper than a record may nest plus its envelope. */
export function bodyDepthProblem(body: unknown, maxJsonDepth: number): string | undefined {
  const limit = maxJsonDepth + ENVELOPE_DEPTH;
  return jsonDepth(body, limit) > limit
    ? `Request body nests deeper than ${limit} levels (keys and values may nest ${maxJsonDepth}: api.maxJsonDepth).`
    : undefined;
}
