/** The three record kinds of docs/data.md §2; each posting event has one of each, sharing its key. */
export type RecordKind = 'pin' | 'geo' | 'user';

export const RECORD_KINDS: readonly RecordKind[] = ['pin', 'geo', 'user'];

/** One column of a cleaned table: its name and DuckDB type, in docs/data.md §4 order. */
export interface CleanColumn {
  readonly name: string;
  readonly type: 'BIGINT' | 'INTEGER' | 'VARCHAR' | 'DOUBLE[]' | 'TIMESTAMP WITH TIME ZONE';
}

/** The cleaned columns of each kind, exactly as docs/data.md §4 lists them. */
export const CLEAN_COLUMNS: Readonly<Record<RecordKind, readonly CleanColumn[]>> = {
  pin: [
    { name: 'ind', type: 'BIGINT' },
    { name: 'unique_id', type: 'VARCHAR' },
    { name: 'title', type: 'VARCHAR' },
    { name: 'description', type: 'VARCHAR' },
    { name: 'follower_count', type: 'INTEGER' },
    { name: 'poster_name', type: 'VARCHAR' },
    { name: 'tag_list', type: 'VARCHAR' },
    { name: 'is_image_or_video', type: 'VARCHAR' },
    { name: 'image_src', type: 'VARCHAR' },
    { name: 'save_location', type: 'VARCHAR' },
    { name: 'category', type: 'VARCHAR' },
  ],
  geo: [
    { name: 'ind', type: 'BIGINT' },
    { name: 'country', type: 'VARCHAR' },
    { name: 'coordinates', type: 'DOUBLE[]' },
    { name: 'timestamp', type: 'TIMESTAMP WITH TIME ZONE' },
  ],
  user: [
    { name: 'ind', type: 'BIGINT' },
    { name: 'user_name', type: 'VARCHAR' },
    { name: 'age', type: 'INTEGER' },
    { name: 'date_joined', type: 'TIMESTAMP WITH TIME ZONE' },
  ],
};

/** The raw JSON key holding the record's key: `index` for pins, `ind` otherwise. */
export const KEY_FIELD: Readonly<Record<RecordKind, string>> = { pin: 'index', geo: 'ind', user: 'ind' };

/** Values that mean "no data", per raw column, replaced by null on exact match (docs/data.md §3). The empty string is a marker in every string column too. */
export const MARKERS: Readonly<Record<string, readonly string[]>> = {
  description: ['No description available Story format', 'No description available', 'Untitled'],
  title: ['No Title Data Available'],
  poster_name: ['User Info Error'],
  follower_count: ['User Info Error'],
  tag_list: ['N,o, ,T,a,g,s, ,A,v,a,i,l,a,b,l,e'],
  image_src: ['Image src error.'],
};

/** Why a record went to the rejects table instead of a cleaned table. */
export type RejectReason = 'not_json' | 'not_object' | 'missing_key' | 'bad_key';

export function isRecordKind(s: string): s is RecordKind {
  return (RECORD_KINDS as readonly string[]).includes(s);
}
