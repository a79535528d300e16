import type { StoredResult } from './read-results.js';

/** A result set as pretty JSON: an array of objects keyed by the column names of docs/data.md §5, in that order. */
export function formatResultJson(r: StoredResult): string {
  return `${JSON.stringify(r.rows, null, 2)}\n`;
}

/** A result set as an aligned text table (numbers right-aligned, NULL spelled out). */
export function formatResultTable(r: StoredResult): string {
  const cell = (v: unknown): string => (v === null || v === undefined ? 'NULL' : String(v));
  const numeric = r.columns.map(
    (c) => r.rows.some((row) => typeof row[c] === 'number') && r.rows.every((row) => row[c] === null || typeof row[c] === 'number'),
  );
  const body = r.rows.map((row) => r.columns.map((c) => cell(row[c])));
  const width = r.columns.map((c, i) => Math.max([...c].length, ...body.map((b) => [...b[i]].length)));
  const pad = (s: string, i: number): string => (numeric[i] ? s.padStart(width[i] + s.length - [...s].length) : s.padEnd(width[i] + s.length - [...s].length));
  const line = (cells: string[]): string => cells.map(pad).join('  ').trimEnd();
  const rule = width.map((w) => '-'.repeat(w)).join('  ');
  return `${[line([...r.columns]), rule, ...body.map(line)].join('\n')}\n(${r.rows.length} row${r.rows.length === 1 ? '' : 's'})\n`;
}
