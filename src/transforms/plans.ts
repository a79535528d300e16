import {
  double,
  followerCount,
  integer,
  jsonNumber,
  suspiciousFollowers,
  suspiciousInteger,
  suspiciousText,
  text,
  utcTimestamp,
  withoutMarkers,
} from './expressions.js';
import { KEY_FIELD, MARKERS, type RecordKind } from './kinds.js';
import type { SqlDialect } from './dialect/index.js';

/** How a raw field is read: decides its suspicion test and its typed values (see expressions.ts). */
export type FieldClass = 'text' | 'timestamp' | 'integer' | 'double' | 'followers';

/**
 * How one kind is cleaned: the raw JSON keys read and their class (each key `f` gives columns
 * r_<f> and x_<f>, and typed columns such as t_<f>), then the cleaned columns in docs/data.md §4 order
 * as expressions over the typed columns.
 */
export interface KindPlan {
  readonly fields: Readonly<Record<string, FieldClass>>;
  readonly out: Readonly<Record<string, string>>;
}

/** A typed column: its value for an ordinary row (from r_* alone) and for a suspicious row (from r_* and x_*). */
export interface TypedColumn {
  readonly name: string;
  readonly fast: string;
  readonly exact: string;
}

export const rawCol = (d: SqlDialect, f: string): string => d.ident(`r_${f}`);
export const exactCol = (d: SqlDialect, f: string): string => d.ident(`x_${f}`);
export const typedCol = (d: SqlDialect, f: string): string => d.ident(`t_${f}`);

/** The suspicion test of one field (DuckDB's fast path, see expressions.ts). */
export function suspicion(d: SqlDialect, f: string, cls: FieldClass): string | undefined {
  if (cls === 'text') return suspiciousText(rawCol(d, f));
  if (cls === 'integer') return suspiciousInteger(rawCol(d, f));
  if (cls === 'followers') return suspiciousFollowers(rawCol(d, f));
  // A double reads the same from a number and from a numeric string; no non-string's text
  // parses as a timestamp (it would need a space or T and colons).
  return undefined;
}

/** The typed columns of one field: `exact` is the definition (from r_* and x_*); `fast` equals it on rows no suspicion test flags. */
export function typed(d: SqlDialect, f: string, cls: FieldClass): TypedColumn[] {
  const r = rawCol(d, f);
  const x = exactCol(d, f);
  if (cls === 'text') return [{ name: `t_${f}`, fast: r, exact: text(d, r, x) }];
  // An ordinary row's integer text is digits (anything else is suspicious): a plain cast is exact.
  if (cls === 'integer') return [{ name: `t_${f}`, fast: d.tryCast(r, 'BIGINT'), exact: integer(d, r, x) }];
  if (cls === 'double') return [{ name: `t_${f}`, fast: double(d, r), exact: double(d, r) }];
  if (cls === 'timestamp') return [{ name: `t_${f}`, fast: utcTimestamp(d, r), exact: utcTimestamp(d, r) }];
  // follower_count: the text to read (a string's), and the value of a JSON number.
  return [
    { name: `t_${f}`, fast: r, exact: text(d, r, x) },
    { name: `n_${f}`, fast: `CAST(NULL AS ${d.type('BIGINT')})`, exact: jsonNumber(d, x) },
  ];
}

/** Output column: a string field with its markers (and '') replaced by NULL. */
const cleanText = (d: SqlDialect, f: string): string => withoutMarkers(d, typedCol(d, f), MARKERS[f]);
const SAVE_PREFIX = 'Local save in ';

// `downloaded` is not read: docs/data.md §4 drops it.
const PIN_FIELDS: KindPlan['fields'] = {
  index: 'integer',
  unique_id: 'text',
  title: 'text',
  description: 'text',
  poster_name: 'text',
  follower_count: 'followers',
  tag_list: 'text',
  is_image_or_video: 'text',
  image_src: 'text',
  save_location: 'text',
  category: 'text',
};

function pin(d: SqlDialect): KindPlan {
  const save = typedCol(d, 'save_location');
  return {
    fields: PIN_FIELDS,
    out: {
      ind: typedCol(d, 'index'),
      unique_id: cleanText(d, 'unique_id'),
      title: cleanText(d, 'title'),
      description: cleanText(d, 'description'),
      follower_count: followerCount(d, d.ident('p_follower_count'), d.ident('n_follower_count')),
      poster_name: cleanText(d, 'poster_name'),
      tag_list: cleanText(d, 'tag_list'),
      is_image_or_video: cleanText(d, 'is_image_or_video'),
      image_src: cleanText(d, 'image_src'),
      save_location: `CASE WHEN ${d.startsWith(save, d.string(SAVE_PREFIX))} THEN nullif(substr(${save}, ${SAVE_PREFIX.length + 1}), '') ELSE nullif(${save}, '') END`,
      category: cleanText(d, 'category'),
    },
  };
}

const GEO_FIELDS: KindPlan['fields'] = { ind: 'integer', timestamp: 'timestamp', latitude: 'double', longitude: 'double', country: 'text' };

function geo(d: SqlDialect): KindPlan {
  const lat = typedCol(d, 'latitude');
  const lon = typedCol(d, 'longitude');
  return {
    fields: GEO_FIELDS,
    out: {
      ind: typedCol(d, 'ind'),
      country: cleanText(d, 'country'),
      // Both parts missing → NULL; one missing → that element is NULL (positions keep their meaning).
      coordinates: `CASE WHEN ${lat} IS NULL AND ${lon} IS NULL THEN NULL ELSE ${d.list([lat, lon])} END`,
      timestamp: typedCol(d, 'timestamp'),
    },
  };
}

const USER_FIELDS: KindPlan['fields'] = { ind: 'integer', first_name: 'text', last_name: 'text', age: 'integer', date_joined: 'timestamp' };

function user(d: SqlDialect): KindPlan {
  return {
    fields: USER_FIELDS,
    out: {
      ind: typedCol(d, 'ind'),
      // concat_ws skips NULL parts; both NULL gives '' → NULL.
      user_name: `nullif(concat_ws(' ', ${cleanText(d, 'first_name')}, ${cleanText(d, 'last_name')}), '')`,
      age: d.tryCast(typedCol(d, 'age'), 'INTEGER'),
      date_joined: typedCol(d, 'date_joined'),
    },
  };
}

/** The raw JSON keys a kind reads and how each is read. */
export function kindPlanFields(kind: RecordKind): KindPlan['fields'] {
  return { pin: PIN_FIELDS, geo: GEO_FIELDS, user: USER_FIELDS }[kind];
}

const PLANS: Readonly<Record<RecordKind, (d: SqlDialect) => KindPlan>> = { pin, geo, user };

/** How `kind` is cleaned, in dialect `d`. */
export function kindPlan(kind: RecordKind, d: SqlDialect): KindPlan {
  return PLANS[kind](d);
}

/** The fields of a kind other than its key (the key has its own layer, see layers.ts). */
export function valueFields(kind: RecordKind): [string, FieldClass][] {
  return Object.entries(kindPlanFields(kind)).filter(([f]) => f !== KEY_FIELD[kind]);
}
