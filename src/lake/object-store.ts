/**
 * The ObjectStore seam: the lake's storage. Implementations: `local` (a directory), later `s3`.
 * Keys are `/`-separated relative paths validated by the store (no `..`, no leading `/`).
 */
export interface ObjectInfo {
  key: string;
  size: number;
  /** Last modification, epoch ms. */
  modifiedAt: number;
}

export interface PutOptions {
  /** Fail with OBJECT_EXISTS instead of replacing an existing object (atomic put-if-absent). */
  ifAbsent?: boolean;
}

export interface ObjectStore {
  /** Write an object atomically: readers see the old object or the whole new one, never a part. */
  put(key: string, body: Uint8Array | string, opts?: PutOptions): Promise<void>;
  /**
   * Put many objects so that they become visible in the given order (if one is visible, so is
   * every one before it); a store may write their bytes concurrently. Optional: without it, callers
   * put one at a time.
   */
  putAll?(items: readonly { key: string; body: Uint8Array | string }[]): Promise<void>;
  /** Read an object; OBJECT_NOT_FOUND if absent. */
  get(key: string): Promise<Buffer>;
  /** Object metadata, or undefined when absent. */
  head(key: string): Promise<ObjectInfo | undefined>;
  /** Every object whose key starts with `prefix`, sorted by key. */
  list(prefix: string): Promise<ObjectInfo[]>;
  /** Delete an object; no error if it is absent. */
  delete(key: string): Promise<void>;
  /** A local file path holding the object's bytes (the object itself for `local`, a staged copy for remote stores). */
  localPath(key: string): Promise<string>;
  /** Human-readable location, e.g. a directory or `s3://bucket/prefix`. */
  readonly url: string;
}
