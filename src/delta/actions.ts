/**
 * Delta log actions (PROTOCOL.md "Actions"), as they appear in commit JSON and checkpoints.
 * Fields we do not use are kept when read so that rewriting them (checkpoints) loses nothing
 * we claim to support.
 */
export interface Protocol {
  minReaderVersion: number;
  minWriterVersion: number;
  readerFeatures?: string[] | null;
  writerFeatures?: string[] | null;
}

export interface Metadata {
  id: string;
  name?: string | null;
  description?: string | null;
  format: { provider: string; options: Record<string, string> };
  /** Spark schema JSON; a few old writers left it out. */
  schemaString?: string;
  partitionColumns: string[];
  configuration: Record<string, string>;
  createdTime?: number | null;
}

export interface AddFile {
  /** Relative (or absolute) URI-encoded path, exactly as in the log. */
  path: string;
  /** Serialised partition values; null means SQL NULL. */
  partitionValues: Record<string, string | null>;
  size: number;
  modificationTime: number;
  dataChange: boolean;
  /** JSON: numRecords, minValues, maxValues, nullCount. */
  stats?: string | null;
  tags?: Record<string, string> | null;
}

export interface RemoveFile {
  path: string;
  deletionTimestamp?: number | null;
  dataChange: boolean;
  extendedFileMetadata?: boolean | null;
  partitionValues?: Record<string, string | null> | null;
  size?: number | null;
  stats?: string | null;
  tags?: Record<string, string> | null;
}

export interface Txn {
  appId: string;
  version: number;
  lastUpdated?: number | null;
}

export interface CommitInfo {
  timestamp: number;
  operation: string;
  operationParameters: Record<string, string>;
  [key: string]: unknown;
}

/** One line of a commit file: exactly one of the keys is set. */
export interface Action {
  protocol?: Protocol;
  metaData?: Metadata;
  add?: AddFile;
  remove?: RemoveFile;
  txn?: Txn;
  commitInfo?: CommitInfo;
  /** Change-data files and anything newer are ignored by snapshot reconstruction. */
  [other: string]: unknown;
}

/** The reader and writer protocol versions this implementation supports. */
export const READER_VERSION = 1;
export const WRITER_VERSION = 2;

/** Decode an action's URI path into the relative file path it names (also the logical file's key). */
export function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** Encode a relative file path as an action path (a URI): segments percent-encoded, `/` and `=` kept. */
export function encodePath(relPath: string): string {
  return relPath
    .split('/')
    .map((seg) => encodeURIComponent(seg).replace(/%3D/g, '='))
    .join('/');
}

/** Drop null/undefined fields so commit JSON stays compact (readers treat absent as null). */
export function compact<T extends object>(obj: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (v !== null && v !== undefined) out[k] = v;
  return out as T;
}
