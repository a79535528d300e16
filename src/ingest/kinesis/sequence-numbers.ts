import { PinpipeError } from '../../core/errors.js';

/**
 * Kinesis-like sequence numbers for log positions. The format is 56 decimal digits:
 *
 *     49 SSSSSS PPPP…PPPP
 *     │  │      └ the log position (the decimal offset), zero-padded to 48 digits
 *     │  └ the shard index, zero-padded to 6 digits
 *     └ a constant lead, so the number never starts with 0 (Kinesis' start with 49 too)
 *
 * Fixed width makes string order equal numeric order, so numbers of one shard compare as text
 * and increase with the offset. It needs a log whose positions are decimal offsets (sqlite, Kafka).
 */
const LEAD = '49';
const SHARD_DIGITS = 6;
const POSITION_DIGITS = 48;
const LENGTH = LEAD.length + SHARD_DIGITS + POSITION_DIGITS;
const SEQUENCE = new RegExp(`^${LEAD}(\\d{${SHARD_DIGITS}})(\\d{${POSITION_DIGITS}})$`);
const OFFSET = /^(0|[1-9]\d*)$/;

/** The sequence number of the record at `position` (a decimal offset) of shard `shard`. */
export function toSequenceNumber(shard: number, position: string): string {
  if (!Number.isInteger(shard) || shard < 0 || shard >= 10 ** SHARD_DIGITS) throw new RangeError(`shard index ${shard} out of range`);
  if (!OFFSET.test(position) || position.length > POSITION_DIGITS) {
    throw new PinpipeError('INTERNAL', `The log position ${JSON.stringify(position)} is not a decimal offset: it cannot become a sequence number.`);
  }
  return LEAD + String(shard).padStart(SHARD_DIGITS, '0') + position.padStart(POSITION_DIGITS, '0');
}

/** The shard index and log position a sequence number names; KINESIS_INVALID_ARGUMENT unless it is one of ours. */
export function fromSequenceNumber(sequenceNumber: string): { shard: number; position: string } {
  const m = typeof sequenceNumber === 'string' ? SEQUENCE.exec(sequenceNumber) : null;
  if (!m) {
    throw new PinpipeError(
      'KINESIS_INVALID_ARGUMENT',
      `Invalid sequence number ${JSON.stringify(sequenceNumber)?.slice(0, 80)}: pinpipe sequence numbers are ${LENGTH} digits starting with ${LEAD}.`,
    );
  }
  return { shard: Number(m[1]), position: m[2].replace(/^0+(?=\d)/, '') };
}

/** Order of two sequence numbers of the same shard (negative, zero, positive). */
export function compareSequenceNumbers(a: string, b: string): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
}
