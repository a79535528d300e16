import { Option, type Command } from 'commander';
import { usageError } from './fail.js';

/**
 * One output convention for every command that prints data: `--format table|json|csv`, with
 * `--json` as a synonym of `--format json`. Tables are for people (aligned, "(2 rows)"), JSON and
 * CSV for programs (no footer, nothing else on stdout).
 */
export const FORMATS = ['table', 'json', 'csv'] as const;
export type Format = (typeof FORMATS)[number];

/** Columns and rows, the shape every data-printing command hands to `printRows`. */
export interface Rows {
  readonly columns: readonly string[];
  readonly rows: readonly Record<string, unknown>[];
}

/** Add `--format` (checked by the parser) and `--json` to a command; `allowed` narrows the choices (e.g. no csv for a report). */
export function withFormat(cmd: Command, allowed: readonly Format[] = FORMATS): Command {
  return cmd
    .addOption(new Option('--format <format>', 'output format').choices(allowed).default('table'))
    .addOption(new Option('--json', 'the same as --format json'));
}

/** The format a command was asked for (`--json` wins over the default, and may not contradict an explicit `--format`). */
export function formatOf(o: { format?: string; json?: boolean }): Format {
  const format = (o.format ?? 'table') as Format;
  if (o.json && format !== 'table' && format !== 'json') throw usageError(`--json and --format ${format} contradict each other: use one of them`);
  return o.json ? 'json' : format;
}

/** "1 row", "2 rows" (and any other noun). */
export function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? noun : nouns}`;
}

/** A cell value as JSON can carry it: bigints as numbers when exact (else strings), dates as ISO text. */
function jsonValue(v: unknown): unknown {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  return v;
}

/** A cell as text: NULL spelled out in tables, empty in CSV; objects as compact JSON. */
function cellText(v: unknown, nullText: string): string {
  const j = jsonValue(v);
  if (j === null || j === undefined) return nullText;
  if (typeof j === 'object') return JSON.stringify(j, (_k, x: unknown) => jsonValue(x));
  return String(j);
}

const width = (s: string): number => [...s].length;

/** Rows as an aligned text table (numbers right-aligned) followed by "(N rows)". */
export function formatTable(data: Rows): string {
  const { columns, rows } = data;
  const body = rows.map((r) => columns.map((c) => cellText(r[c], 'NULL')));
  const numeric = columns.map((c) => rows.some((r) => isNumber(r[c])) && rows.every((r) => r[c] == null || isNumber(r[c])));
  const w = columns.map((c, i) => Math.max(width(c), ...body.map((b) => width(b[i]))));
  const pad = (s: string, i: number): string => (numeric[i] ? ' '.repeat(w[i] - width(s)) + s : s + ' '.repeat(w[i] - width(s)));
  const line = (cells: string[]): string => cells.map(pad).join('  ').trimEnd();
  const lines = columns.length > 0 ? [line([...columns]), w.map((n) => '-'.repeat(n)).join('  '), ...body.map(line)] : [];
  return `${[...lines, `(${plural(rows.length, 'row')})`].join('\n')}\n`;
}

const isNumber = (v: unknown): boolean => typeof v === 'number' || typeof v === 'bigint';

/** Rows as a JSON array of objects, keys in column order. */
export function formatJson(data: Rows): string {
  const rows = data.rows.map((r) => Object.fromEntries(data.columns.map((c) => [c, r[c] === undefined ? null : r[c]])));
  return `${JSON.stringify(rows, (_k, v: unknown) => jsonValue(v), 2)}\n`;
}

/** Rows as RFC 4180 CSV: a header line, CRLF line ends, NULL as an empty field and the empty string as `""`. */
export function formatCsv(data: Rows): string {
  const field = (v: unknown): string => {
    if (v === null || v === undefined) return '';
    const s = cellText(v, '');
    return s === '' || /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [data.columns.map(field), ...data.rows.map((r) => data.columns.map((c) => field(r[c])))];
  return lines.map((l) => `${l.join(',')}\r\n`).join('');
}

/** Rows in the given format. */
export function formatRows(data: Rows, format: Format): string {
  return format === 'json' ? formatJson(data) : format === 'csv' ? formatCsv(data) : formatTable(data);
}

/** Print rows on stdout in the format the user asked for. */
export function printRows(data: Rows, format: Format): void {
  process.stdout.write(formatRows(data, format));
}

/** Print a value that is not a table (a report, a config): JSON for `json`, else the human text. */
export function printValue(value: unknown, format: Format, human: () => string): void {
  process.stdout.write(format === 'json' ? `${JSON.stringify(value, (_k, v: unknown) => jsonValue(v), 2)}\n` : human());
}
