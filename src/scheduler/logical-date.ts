import { PinpipeError } from '../core/errors.js';

/** Airflow's `{{ ds }}`: the logical date as `YYYY-MM-DD` in UTC. */
export function dsOf(logicalDate: number): string {
  return new Date(logicalDate).toISOString().slice(0, 10);
}

/** An ISO form as Airflow writes it in run ids: `2024-05-01T00:00:00+00:00`. */
export function isoOf(t: number): string {
  return new Date(t).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/**
 * Parse a logical date given by a person: `YYYY-MM-DD` (midnight UTC, as `airflow dags test` reads
 * it) or an ISO 8601 date-time with a zone. DAG_INVALID_DATE otherwise.
 */
export function parseLogicalDate(text: string): number {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const t = day ? Date.parse(`${text}T00:00:00Z`) : /^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/.test(text) ? Date.parse(text) : NaN;
  if (!Number.isFinite(t) || (day && dsOf(t) !== text)) {
    throw new PinpipeError('DAG_INVALID_DATE', `Invalid logical date ${JSON.stringify(text)}: expected YYYY-MM-DD or an ISO 8601 date-time with a zone.`);
  }
  return t;
}
