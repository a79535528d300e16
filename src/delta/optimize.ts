import type { Sql } from '../core/duckdb.js';
import type { ObjectStore } from '../lake/object-store.js';
import { decodePath, type AddFile } from './actions.js';
import type { CommitPlan } from './commit.js';
import { scanQuery } from './scan-query.js';
import type { Snapshot } from './snapshot.js';
import { writeDataFiles } from './write-data-files.js';

export interface OptimizeOptions {
  /** Files smaller than this are compacted, into files of about this size (default 128 MiB). */
  targetFileBytes?: number;
}

/** Group small files of one partition into bins of at most `target` bytes; bins of one file are left alone. */
export function planBins(files: readonly AddFile[], target: number): AddFile[][] {
  const byPartition = new Map<string, AddFile[]>();
  for (const f of files) {
    if (f.size >= target) continue;
    const key = JSON.stringify(Object.entries(f.partitionValues ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)));
    byPartition.set(key, [...(byPartition.get(key) ?? []), f]);
  }
  const bins: AddFile[][] = [];
  for (const group of byPartition.values()) {
    let bin: AddFile[] = [];
    let size = 0;
    for (const f of [...group].sort((a, b) => a.size - b.size)) {
      if (bin.length && size + f.size > target) {
        bins.push(bin);
        bin = [];
        size = 0;
      }
      bin.push(f);
      size += f.size;
    }
    bins.push(bin);
  }
  return bins.filter((b) => b.length > 1);
}

/**
 * Compaction: rewrite each bin of small files as one file and describe the change as a commit
 * plan (removes + adds, `dataChange: false`). Returns undefined when there is nothing to do.
 */
export async function planOptimize(sql: Sql, store: ObjectStore, snapshot: Snapshot, opts: OptimizeOptions = {}): Promise<CommitPlan | undefined> {
  const targetBytes = opts.targetFileBytes ?? 128 * 1024 * 1024;
  const bins = planBins(snapshot.files, targetBytes);
  if (bins.length === 0) return undefined;
  const fields = snapshot.schema?.fields ?? [];
  const adds: AddFile[] = [];
  for (const bin of bins) {
    const select = await scanQuery(sql, store, snapshot, { files: bin, dataColumnsOnly: true });
    const dataFields = fields.filter((f) => !snapshot.partitionColumns.includes(f.name));
    const path = decodePath(bin[0].path);
    const dir = path.slice(0, path.lastIndexOf('/') + 1); // keep the partition directory
    const files = await writeDataFiles({ sql, store, table: snapshot.table, fields: dataFields, partitionColumns: [] }, select, [], {
      dataChange: false,
      dir,
      partitionValues: bin[0].partitionValues,
    });
    adds.push(...files);
  }
  return {
    operation: 'OPTIMIZE',
    operationParameters: { predicate: '[]', targetFileBytes: String(targetBytes) },
    adds,
    removes: bins.flat(),
    dataChange: false,
  };
}
