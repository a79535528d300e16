import { ANALYTICS } from '../../analytics/index.js';
import {
  CLEAN_COLUMNS,
  classifiedSql,
  cleanFromClassifiedSql,
  dedupeSql,
  RECORD_KINDS,
  rejectsFromClassifiedSql,
  sparkDialect as d,
  type RecordKind,
  type SqlTypeName,
} from '../../transforms/index.js';
import { JOB_BODY, JOB_HEAD } from './job-template.js';

/** The file name `pinpipe export spark` writes. */
export const SPARK_JOB_FILE = 'pinpipe_batch_job.py';

const perKind = (f: (kind: RecordKind) => string): Record<RecordKind, string> =>
  Object.fromEntries(RECORD_KINDS.map((k) => [k, f(k)])) as Record<RecordKind, string>;

/**
 * The Spark SQL of the job, generated from the definitions the DuckDB job runs: per kind the
 * classification of distinct payloads, its clean rows and rejects, and the one-row-per-ind
 * dedupe (with and without the anti-join on the table); then the ten result sets. View names
 * are the ones the Python part creates.
 */
export function sparkJobSql(): Record<string, unknown> {
  const typeOf = (t: string): string => d.type(t as SqlTypeName);
  return {
    classify: perKind((k) => classifiedSql(k, `pinpipe_distinct_${k}`, { carry: ['source', 'n'], dialect: d })),
    clean: perKind((k) => cleanFromClassifiedSql(k, `pinpipe_classified_${k}`, { carry: ['source'], dialect: d })),
    rejects: perKind((k) => rejectsFromClassifiedSql(k, `pinpipe_classified_${k}`, { dialect: d })),
    dedupe_new: perKind((k) => dedupeSql(k, `pinpipe_clean_${k}`, { existing: `pinpipe_existing_${k}`, dialect: d })),
    dedupe_full: perKind((k) => dedupeSql(k, `pinpipe_clean_${k}`, { dialect: d })),
    columns: perKind((k) => CLEAN_COLUMNS[k].map((c) => [c.name, typeOf(c.type)]) as never),
    analytics: ANALYTICS.map((a) => ({
      id: a.id,
      columns: a.columns.map((c) => [c.name, typeOf(c.type)]),
      sql: a.sql({ pin: 'pinpipe_in_pin', geo: 'pinpipe_in_geo', user: 'pinpipe_in_user' }, d),
    })),
  };
}

/** A Python expression for `value` (JSON data): JSON's literals are Python's but for true/false/null; strings stay readable, one SQL line per source line. */
function python(value: unknown, indent = ''): string {
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') {
    const lines = value.split('\n');
    if (lines.length === 1) return JSON.stringify(value);
    const inner = `${indent}    `;
    return `(\n${lines.map((l, i) => `${inner}${JSON.stringify(i < lines.length - 1 ? `${l}\n` : l)}`).join('\n')}\n${indent})`;
  }
  const inner = `${indent}    `;
  if (Array.isArray(value)) return `[\n${value.map((v) => `${inner}${python(v, inner)},`).join('\n')}\n${indent}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${python(v, inner)},`).join('\n')}\n${indent}}`;
}

/**
 * The exported PySpark job: one plain `.py` (also a Databricks notebook) doing what `pinpipe
 * batch run` does, with the cleaning and analytics SQL generated from src/transforms and
 * src/analytics in Spark's dialect.
 * @example await fs.writeFile(`out/${SPARK_JOB_FILE}`, sparkJobSource('0.1.0'))
 */
export function sparkJobSource(version: string): string {
  return `${JOB_HEAD.replace('PINPIPE_VERSION', version)}# The cleaning rules and the ten result sets (pinpipe's docs/data.md), generated from pinpipe's definitions.\nSQL = ${python(sparkJobSql())}\n${JOB_BODY}`;
}
