import { sqlIdent } from '../core/duckdb.js';
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

/** How a raw field is read: decides its suspicion test and its typed values (see expressions.ts). */
export type FieldClass = 'text' | 'timestamp' | 'integer' | 'double' | 'followers';

/**
 * How one kind is cleaned: the raw JSON keys read and their class (each key `f` gives columns
 * r_<f> and x_<f>, and typed columns such as t_<f>), then the cleaned columns in SPEC §4 order
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

export const rawCol = (f: string): string => sqlIdent(`r_${f}`);
export const exactCol = (f: string): string => sqlIdent(`x_${f}`);
export const typedCol = (f: string): string => sqlIdent(`t_${f}`);

/** The suspicion test of one field (see expressions.ts). */
export function suspicion(f: string, cls: FieldClass): string | undefined {
  if (cls === 'text') return suspiciousText(rawCol(f));
  if (cls === 'integer') return suspiciousInteger(rawCol(f));
  if (cls === 'followers') return suspiciousFollowers(rawCol(f));
  // A double reads the same from a number and from a numeric string; no non-string's text
  // parses as a timestamp (it would need a space or T and colons).
  return undefined;
}

/** The typed columns of one field. */
export function typed(f: string, cls: FieldClass): TypedColumn[] {
  const r = rawCol(f);
  const x = exactCol(f);
  if (cls === 'text') return [{ name: `t_${f}`, fast: r, exact: text(r, x) }];
  // An ordinary row's integer text is digits (anything else is suspicious): a plain cast is exact.
  if (cls === 'integer') return [{ name: `t_${f}`, fast: `TRY_CAST(${r} AS BIGINT)`, exact: integer(r, x) }];
  if (cls === 'double') return [{ name: `t_${f}`, fast: double(r), exact: double(r) }];
  if (cls === 'timestamp') return [{ name: `t_${f}`, fast: utcTimestamp(r), exact: utcTimestamp(r) }];
  // follower_count: the text to read (a string's), and the value of a JSON number.
  return [
    { name: `t_${f}`, fast: r, exact: text(r, x) },
    { name: `n_${f}`, fast: 'CAST(NULL AS BIGINT)', exact: jsonNumber(x) },
  ];
}

/** Output column: a string field with its markers (and '') replaced by NULL. */
const cleanText = (f: string): string => withoutMarkers(typedCol(f), MARKERS[f]);
const SAVE_PREFIX = 'Local save in ';
const save = typedCol('save_location');

const pin: KindPlan = {
  // `downloaded` is not read: SPEC §4 drops it.
  fields: {
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
  },
  out: {
    ind: typedCol('index'),
    unique_id: cleanText('unique_id'),
    title: cleanText('title'),
    description: cleanText('description'),
    follower_count: followerCount(sqlIdent('p_follower_count'), sqlIdent('n_follower_count')),
    poster_name: cleanText('poster_name'),
    tag_list: cleanText('tag_list'),
    is_image_or_video: cleanText('is_image_or_video'),
    image_src: cleanText('image_src'),
    save_location: `CASE WHEN starts_with(${save}, '${SAVE_PREFIX}') THEN nullif(substr(${save}, ${SAVE_PREFIX.length + 1}), '') ELSE nullif(${save}, '') END`,
    category: cleanText('category'),
  },
};

const lat = typedCol('latitude');
const lon = typedCol('longitude');
const geo: KindPlan = {
  fields: { ind: 'integer', timestamp: 'timestamp', latitude: 'double', longitude: 'double', country: 'text' },
  out: {
    ind: typedCol('ind'),
    country: cleanText('country'),
    // Both parts missing → NULL; one missing → that element is NULL (positions keep their meaning).
    coordinates: `CASE WHEN ${lat} IS NULL AND ${lon} IS NULL THEN NULL ELSE [${lat}, ${lon}] END`,
    timestamp: typedCol('timestamp'),
  },
};

const user: KindPlan = {
  fields: { ind: 'integer', first_name: 'text', last_name: 'text', age: 'integer', date_joined: 'timestamp' },
  out: {
    ind: typedCol('ind'),
    // concat_ws skips NULL parts; both NULL gives '' → NULL.
    user_name: `nullif(concat_ws(' ', ${cleanText('first_name')}, ${cleanText('last_name')}), '')`,
    age: `TRY_CAST(${typedCol('age')} AS INTEGER)`,
    date_joined: typedCol('date_joined'),
  },
};

export const PLANS: Readonly<Record<RecordKind, KindPlan>> = { pin, geo, user };

/** The fields of a kind other than its key (the key has its own layer, see layers.ts). */
export function valueFields(kind: RecordKind): [string, FieldClass][] {
  return Object.entries(PLANS[kind].fields).filter(([f]) => f !== KEY_FIELD[kind]);
}
