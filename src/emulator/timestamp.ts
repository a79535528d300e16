/** A date as the raw records write it: `YYYY-MM-DD HH:MM:SS`, UTC, no zone. */
export function formatTimestamp(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}
