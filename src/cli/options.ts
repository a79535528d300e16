import { InvalidArgumentError } from 'commander';

/**
 * Argument parsers for commander options (`.argParser(...)`): a bad value stops the command with
 * one line naming the option, the value and what is allowed, and exit code 2.
 */

/** A whole number within [min, max], e.g. `.argParser(int({ min: 1 }))`. */
export function int(range: { min?: number; max?: number } = {}): (raw: string) => number {
  const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = range;
  return (raw) => {
    const n = /^[-+]?\d+$/.test(raw.trim()) ? Number(raw) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`Expected a whole number${rangeText(min, max)}, e.g. ${example(min, max)}.`);
    return n;
  };
}

/** A number (decimals allowed) greater than `above` (default 0), e.g. a rate or a duration in seconds. */
export function positive(above = 0): (raw: string) => number {
  return (raw) => {
    const n = raw.trim() === '' ? NaN : Number(raw);
    if (!Number.isFinite(n) || n <= above) throw new InvalidArgumentError(`Expected a number greater than ${above}, e.g. 10 or 0.5.`);
    return n;
  };
}

/** A TCP port (0 = any free port). */
export const port = int({ min: 0, max: 65535 });

function rangeText(min: number, max: number): string {
  const lo = min > Number.MIN_SAFE_INTEGER;
  const hi = max < Number.MAX_SAFE_INTEGER;
  if (lo && hi) return ` from ${min} to ${max}`;
  if (lo) return ` of ${min} or more`;
  if (hi) return ` of ${max} or less`;
  return '';
}

function example(min: number, max: number): string {
  const candidate = Math.max(min, Math.min(max, 10));
  return String(candidate);
}
