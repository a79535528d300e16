import { PinpipeError } from '../../core/errors.js';

/** A sqlite position: the decimal offset, no sign, no leading zeros. */
const POSITION = /^(0|[1-9][0-9]*)$/;

/** The offset a sqlite position names; INVALID_POSITION unless it is a canonical decimal offset. */
export function parsePosition(position: string): number {
  if (typeof position !== 'string' || position.length > 16 || !POSITION.test(position)) {
    throw new PinpipeError('INVALID_POSITION', `Invalid position ${JSON.stringify(position)?.slice(0, 100)}: expected a decimal offset.`);
  }
  const off = Number(position);
  if (!Number.isSafeInteger(off)) throw new PinpipeError('INVALID_POSITION', `Position ${position} is out of range.`);
  return off;
}

/**
 * Order of two sqlite positions: canonical decimal strings compare by length, then text, so the
 * result is exact for any size (what BigInt comparison would give, without the parse).
 */
export function compareOffsetPositions(a: string, b: string): number {
  if (!POSITION.test(a) || !POSITION.test(b)) {
    throw new PinpipeError('INVALID_POSITION', `Cannot compare positions ${JSON.stringify(a)} and ${JSON.stringify(b)}.`);
  }
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
