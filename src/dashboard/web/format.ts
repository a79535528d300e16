// Number and time formats of the dashboard: exact numbers with thousands separators in tables
// and labels, compact ones (51k, 6.1M) where space is short.

const EN = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** What a missing value shows as. */
export const NONE = '—';

/** An integer with thousands separators (1,234,567); NONE for null. */
export function int(v: number | null | undefined): string {
  return v === null || v === undefined || Number.isNaN(v) ? NONE : EN.format(Math.round(v));
}

/** A short number: 950, 51k, 1.5k, 6.1M. */
export function compact(v: number | null | undefined): string {
  if (v === null || v === undefined) return NONE;
  const a = Math.abs(v);
  const short = (n: number, unit: string): string => `${n >= 100 ? Math.round(n) : Number(n.toFixed(1))}${unit}`;
  if (a >= 1e9) return short(v / 1e9, 'B');
  if (a >= 1e6) return short(v / 1e6, 'M');
  if (a >= 1e3) return short(v / 1e3, 'k');
  return String(Math.round(v));
}

/** Seconds as `85 ms` or `1.25 s`; NONE when unknown. */
export function seconds(s: number | null | undefined): string {
  if (s === null || s === undefined) return NONE;
  return s < 1 ? `${Math.round(s * 1000)} ms` : `${s.toFixed(2)} s`;
}

/** A length of time in words: `42 s`, `3 min`, `2 h 5 min`, `3 d`. */
export function span(ms: number): string {
  const s = Math.max(0, ms / 1000);
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  if (s < 172_800) return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
  return `${Math.round(s / 86_400)} d`;
}

/** How long ago an epoch-ms time was; NONE for none. */
export function ago(at: number | null | undefined, now = Date.now()): string {
  return at ? `${span(now - at)} ago` : NONE;
}

/** A table cell's text: years and ids as they are, other numbers with separators, null as NONE. */
export function cellText(column: string, v: unknown): string {
  if (v === null || v === undefined) return NONE;
  if (typeof v === 'number') return /year/.test(column) ? String(v) : int(v);
  return String(v);
}
