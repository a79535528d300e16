// What the result charts write on their bars (no DOM here: tests compute the same labels).
import { int } from './format.js';

/** A result set as the status API gives it. */
export interface ResultSet {
  id: string;
  description?: string;
  computedAt?: number;
  date?: string;
  version?: number;
  columns: string[];
  rows: Record<string, string | number | null>[];
}

/** How many keys a ranked chart shows (the table has them all). */
export const TOP = 15;

/** The text of a ranked bar's label: the winner(s), each isolated so a right-to-left name does not reorder the line, and the value. */
export function rankedLabel(names: readonly string[], value: number | null): string {
  return `${names.map((n) => `\u2068${n}\u2069`).join(', ')} · ${int(value)}`;
}
