/*
 * An independent implementation of docs/data.md §3–4 in plain TypeScript (JSON.parse, no SQL), to check
 * the SQL cleaning on random records. Written from docs/data.md and the documented decisions:
 * follower_count text has 1–10 integer digits; timestamps must be zero-padded here (the
 * generator never produces unpadded ones, which DuckDB also accepts).
 */
import type { RecordKind, RejectReason } from '../../src/transforms/index.js';

export type Cleaned = Record<string, string | number | null | (number | null)[]>;
export type Outcome = { clean: Cleaned } | { reject: RejectReason };

const MARKERS: Record<string, string[]> = {
  description: ['No description available Story format', 'No description available', 'Untitled'],
  title: ['No Title Data Available'],
  poster_name: ['User Info Error'],
  follower_count: ['User Info Error'],
  tag_list: ['N,o, ,T,a,g,s, ,A,v,a,i,l,a,b,l,e'],
  image_src: ['Image src error.'],
};
const INT32 = 2n ** 31n;
const INT64 = 2n ** 63n;

function text(o: Record<string, unknown>, key: string): string | null {
  const v = o[key];
  if (typeof v !== 'string' || v === '' || (MARKERS[key] ?? []).includes(v)) return null;
  return v;
}

/** Integer rule: JSON integers and integral floats, strings of digits. Returns a decimal string (BIGINT) or null. */
function integer(v: unknown, bound: bigint): string | null {
  let n: bigint | null = null;
  if (typeof v === 'number' && Number.isInteger(v)) n = BigInt(v);
  else if (typeof v === 'string' && /^[0-9]+$/.test(v)) n = BigInt(v);
  return n !== null && n >= -bound && n < bound ? String(n) : null;
}

function followers(v: unknown): number | null {
  if (typeof v === 'number') return Number.isInteger(v) && BigInt(v) >= -INT32 && BigInt(v) < INT32 ? v : null;
  if (typeof v !== 'string') return null;
  const m = /^([0-9]{1,10})(?:\.([0-9]+))?([kKmM]?)$/.exec(v);
  if (!m) return null;
  const mult = m[3] === '' ? 1n : m[3].toLowerCase() === 'k' ? 1000n : 1000000n;
  const den = 10n ** BigInt((m[2] ?? '').length);
  const num = (BigInt(m[1]) * den + BigInt(m[2] || '0')) * mult; // value·den
  const rounded = (2n * num + den) / (2n * den); // half up
  return rounded < INT32 ? Number(rounded) : null;
}

function double(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' && /^[\s0-9.eE+-]+$/.test(v) ? Number(v) : NaN;
  return Number.isFinite(n) ? n : null;
}

function timestamp(s: string | null): string | null {
  const m = s === null ? null : /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(s);
  if (!m) return null;
  const [y, mo, d, h, mi, se] = m.slice(1).map(Number);
  const t = new Date(Date.UTC(y, mo - 1, d, h, mi, se));
  const ok = t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d && h < 24 && mi < 60 && se < 60;
  return ok ? t.toISOString() : null;
}

/** What docs/data.md §3–4 make of one payload of `kind`. */
export function referenceClean(kind: RecordKind, payload: string | null): Outcome {
  let o: unknown;
  try {
    o = JSON.parse(payload ?? '');
  } catch {
    return { reject: 'not_json' };
  }
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return { reject: 'not_object' };
  const r = o as Record<string, unknown>;
  const keyName = kind === 'pin' ? 'index' : 'ind';
  if (r[keyName] === undefined || r[keyName] === null) return { reject: 'missing_key' };
  const ind = integer(r[keyName], INT64);
  if (ind === null) return { reject: 'bad_key' };
  if (kind === 'pin') {
    const save = text(r, 'save_location');
    const stripped = save?.startsWith('Local save in ') ? save.slice('Local save in '.length) : save;
    return {
      clean: {
        ind,
        unique_id: text(r, 'unique_id'),
        title: text(r, 'title'),
        description: text(r, 'description'),
        follower_count: followers(r.follower_count === 'User Info Error' ? null : r.follower_count),
        poster_name: text(r, 'poster_name'),
        tag_list: text(r, 'tag_list'),
        is_image_or_video: text(r, 'is_image_or_video'),
        image_src: text(r, 'image_src'),
        save_location: stripped === '' ? null : (stripped ?? null),
        category: text(r, 'category'),
      },
    };
  }
  if (kind === 'geo') {
    const lat = double(r.latitude);
    const lon = double(r.longitude);
    return {
      clean: { ind, country: text(r, 'country'), coordinates: lat === null && lon === null ? null : [lat, lon], timestamp: timestamp(text(r, 'timestamp')) },
    };
  }
  const names = [text(r, 'first_name'), text(r, 'last_name')].filter((x) => x !== null);
  const age = integer(r.age, INT32);
  return {
    clean: { ind, user_name: names.length ? names.join(' ') : null, age: age === null ? null : Number(age), date_joined: timestamp(text(r, 'date_joined')) },
  };
}
