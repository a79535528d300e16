import { PinpipeError } from '../core/errors.js';
import { type AddFile, type Metadata, type Protocol, type RemoveFile } from './actions.js';
import { assertReadableProtocol } from './features.js';
import type { LogState } from './log-state.js';
import { parseSchemaString, type DeltaStructType } from './schema.js';

/** Per-file statistics as written in `add.stats`. */
export interface FileStats {
  numRecords?: number;
  minValues?: Record<string, unknown>;
  maxValues?: Record<string, unknown>;
  nullCount?: Record<string, unknown>;
}

/**
 * One version of a Delta table: protocol, metadata, live files, tombstones and txn versions.
 * Immutable; get a newer one from `DeltaTable.snapshot()`.
 */
export class Snapshot {
  /** The table's key prefix in its store, e.g. `tables/pin`. */
  readonly table: string;
  readonly state: LogState;
  private cachedFiles: AddFile[] | undefined;
  private cachedSchema: DeltaStructType | null | undefined;

  constructor(table: string, state: LogState) {
    this.table = table;
    this.state = state;
  }

  get version(): number {
    return this.state.version;
  }

  get protocol(): Protocol {
    return this.state.protocol!;
  }

  get metadata(): Metadata {
    return this.state.metadata!;
  }

  /** The table schema, or null when the metaData has none (some very old writers). */
  get schema(): DeltaStructType | null {
    if (this.cachedSchema === undefined) this.cachedSchema = parseSchemaString(this.metadata.schemaString) ?? null;
    return this.cachedSchema;
  }

  get partitionColumns(): string[] {
    return this.metadata.partitionColumns ?? [];
  }

  get configuration(): Record<string, string> {
    return this.metadata.configuration ?? {};
  }

  /** The live data files (the `add` actions that survived reconciliation). */
  get files(): AddFile[] {
    this.cachedFiles ??= [...this.state.files.values()];
    return this.cachedFiles;
  }

  /** Removed files still remembered as tombstones. */
  get tombstones(): RemoveFile[] {
    return [...this.state.tombstones.values()];
  }

  /** Sum of live file sizes in bytes. */
  get sizeBytes(): number {
    return this.files.reduce((n, f) => n + f.size, 0);
  }

  /** Latest committed `txn` version of an application, or undefined if it never committed. */
  txnVersion(appId: string): number | undefined {
    return this.state.txns.get(appId)?.version;
  }

  /** `{appId: version}` of every application that committed a `txn`. */
  get txns(): Record<string, number> {
    return Object.fromEntries([...this.state.txns.values()].map((t) => [t.appId, t.version]));
  }

  /** Total rows from file statistics, or undefined when a file has no `numRecords`. */
  get numRecords(): number | undefined {
    let n = 0;
    for (const f of this.files) {
      const r = parseStats(f)?.numRecords;
      if (typeof r !== 'number') return undefined;
      n += r;
    }
    return n;
  }
}

/** The parsed `stats` of a file, or undefined when it has none. */
export function parseStats(file: AddFile): FileStats | undefined {
  if (!file.stats) return undefined;
  try {
    return JSON.parse(file.stats) as FileStats;
  } catch {
    return undefined;
  }
}

/** Throw unless a replayed state is a readable table: protocol and metaData present, reader version and features supported (see features.ts). */
export function assertReadable(state: LogState, table: string): void {
  if (!state.protocol) throw new PinpipeError('DELTA_LOG_INVALID', `Delta table ${table} at version ${state.version} has no protocol action`);
  if (!state.metadata) throw new PinpipeError('DELTA_LOG_INVALID', `Delta table ${table} at version ${state.version} has no metaData action`);
  assertReadableProtocol(table, state.protocol, state.metadata);
}
