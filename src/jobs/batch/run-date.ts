import { PinpipeError } from '../../core/errors.js';

/** A batch run's logical date: its text and the Delta `txn` version it commits under. */
export interface RunDate {
  /** `YYYY-MM-DD`. */
  readonly text: string;
  /** The date as the integer YYYYMMDD, e.g. 20240501. */
  readonly version: number;
}

/**
 * Parse `YYYY-MM-DD` (a real calendar date) into a RunDate; BATCH_INVALID_DATE otherwise.
 * @example parseRunDate('2024-05-01').version // → 20240501
 */
export function parseRunDate(text: string): RunDate {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  if (!m || !d || d.toISOString().slice(0, 10) !== text || Number(m[1]) < 1000) {
    throw new PinpipeError('BATCH_INVALID_DATE', `Invalid run date ${JSON.stringify(text)}: expected YYYY-MM-DD, a real calendar date.`);
  }
  return { text, version: Number(`${m[1]}${m[2]}${m[3]}`) };
}

/** The UTC calendar date of `at` (default now) as a RunDate. */
export function utcRunDate(at: Date = new Date()): RunDate {
  return parseRunDate(at.toISOString().slice(0, 10));
}

/** The text form (`YYYY-MM-DD`) of a txn version YYYYMMDD. */
export function runDateText(version: number): string {
  const s = String(version).padStart(8, '0');
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
}
