import { h } from './dom.js';
import { cellText, NONE } from './format.js';

/** Columns whose values are numbers are right-aligned. */
function numeric(rows: readonly Record<string, unknown>[], column: string): boolean {
  return rows.some((r) => typeof r[column] === 'number') && rows.every((r) => r[column] === null || typeof r[column] === 'number');
}

/** A result set as a table: every row, values as text, numbers right-aligned, missing values muted. */
export function dataTable(columns: readonly string[], rows: readonly Record<string, unknown>[]): HTMLTableElement {
  const nums = new Set(columns.filter((c) => numeric(rows, c)));
  return h(
    'table',
    { class: 'data' },
    h('thead', {}, h('tr', {}, ...columns.map((c) => h('th', { class: nums.has(c) ? 'num' : '' }, c)))),
    h(
      'tbody',
      {},
      ...rows.map((r) =>
        h(
          'tr',
          {},
          ...columns.map((c) => {
            const text = cellText(c, r[c]);
            return h('td', { class: `${nums.has(c) ? 'num' : ''}${text === NONE ? ' none' : ''}`.trim() }, text);
          }),
        ),
      ),
    ),
  );
}

/** A small table of label/value rows (already formatted). */
export function simpleTable(head: readonly string[], rows: readonly (string | Node)[][], numericFrom = 1): HTMLTableElement {
  return h(
    'table',
    { class: 'data compact' },
    h('thead', {}, h('tr', {}, ...head.map((c, i) => h('th', { class: i >= numericFrom ? 'num' : '' }, c)))),
    h('tbody', {}, ...rows.map((r) => h('tr', {}, ...r.map((c, i) => h('td', { class: i >= numericFrom ? 'num' : '' }, c))))),
  );
}
