import { PinpipeError } from '../../core/errors.js';

/**
 * Kinesis-like sequence numbers for log positions (decimal digits on every log: offsets on sqlite
 * and Kafka, Kinesis's own sequence numbers on a Kinesis log). The format is 56 decimal digits for
 * positions of up to 48 digits, and longer for longer ones (up to Kinesis's limit of 129):
 *
 *     49 SSSSSS PPPP…PPPP
 *     │  │      └ the log position, zero-padded to 48 digits (a longer one as it is)
 *     │  └ the shard index, zero-padded to 6 digits
 *     └ a constant lead, so the number never starts with 0 (Kinesis' start with 49 too)
 *
 * Numbers of one shard increase with the position and compare as numbers; those of the same length
 * (every one on sqlite and Kafka) compare as text too.
 */
const LEAD = '49';
const SHARD_DIGITS = 6;
const POSITION_DIGITS = 48;
/** Kinesis sequence numbers have at most 129 digits. */
const MAX_POSITION_DIGITS = 129 - LEAD.length - SHARD_DIGITS;
const SEQUENCE = new RegExp(`^${LEAD}(\\d{${SHARD_DIGITS}})(\\d{${POSITION_DIGITS}}|[1-9]\\d{${POSITION_DIGITS},${MAX_POSITION_DIGITS - 1}})$`);
const DECIMAL = /^(0|[1-9]\d*)$/;

/** The sequence number of the record at `position` (decimal digits) of shard `shard`. */
export function toSequenceNumber(shard: number, position: string): string {
  if (!Number.isInteger(shard) || shard < 0 || shard >= 10 ** SHARD_DIGITS) throw new RangeError(`shard index ${shard} out of range`);
  if (!DECIMAL.test(position) || position.length > MAX_POSITION_DIGITS) {
    throw new PinpipeError('INTERNAL', `The log position ${JSON.stringify(position)} is not a decimal number of up to ${MAX_POSITION_DIGITS} digits.`);
  }
  return LEAD + String(shard).padStart(SHARD_DIGITS, '0') + position.padStart(POSITION_DIGITS, '0');
}

/** The shard index and log position a sequence number names; KINESIS_INVALID_ARGUMENT unless it is one of ours. */
export function fromSequenceNumber(sequenceNumber: string): { shard: number; position: string } {
  const m = typeof sequenceNumber === 'string' ? SEQUENCE.exec(sequenceNumber) : null;
  if (!m) {
    throw new PinpipeError(
      'KINESIS_INVALID_ARGUMENT',
      `Invalid sequence number ${JSON.stringify(sequenceNumber)?.slice(0, 80)}: pinpipe sequence numbers are ${LEAD.length + SHARD_DIGITS + POSITION_DIGITS} or more digits starting with ${LEAD}.`,
    );
  }
  return { shard: Number(m[1]), position: m[2].replace(/^0+(?=\d)/, '') };
}

/** Order of two sequence numbers of the same shard (negative, zero, positive). */
export function compareSequenceNumbers(a: string, b: string): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
}
