import type { ObjectStore } from '../../lake/object-store.js';
import { parseObjectKey, partitionDir } from '../../lake/sink/object-names.js';

/**
 * One raw lake object written by the lake sink: `topics/<topic>/<encodedPartition>/<topic>+<p>+<start>.<json|…parquet>`,
 * the encoded partition being `partition=<p>` or a time path (`year=…/month=…/…`).
 */
export interface RawObject {
  readonly key: string;
  /**
   * The unit a watermark covers: the log partition, named by its folder in the default layout,
   * `topics/<topic>/partition=<p>/`, whichever layout the object is in (start offsets rise across
   * every time path of a partition, so one mark per partition covers both layouts).
   */
  readonly dir: string;
  readonly partition: number;
  /** Offset of the object's first record in its log partition. */
  readonly startOffset: number;
  /** JSON lines (also when absent) or Parquet (column `value`, one row per record). */
  readonly format?: 'json' | 'parquet';
}

/** Per partition folder, the start offset of the last object consumed; absent = nothing consumed. */
export type Watermarks = Readonly<Record<string, number>>;

/**
 * The raw objects of a topic in the lake, in either layout and either format, ordered by
 * partition then start offset. Keys that do not follow the Connect layout (temp files, foreign
 * files) are left out.
 */
export async function listRawObjects(store: ObjectStore, topic: string, topicsDir = 'topics'): Promise<RawObject[]> {
  const out: RawObject[] = [];
  for (const o of await store.list(`${topicsDir}/${topic}/`)) {
    const name = parseObjectKey(o.key, topic, topicsDir);
    if (!name) continue;
    const { partition, startOffset, format } = name;
    out.push({ key: o.key, dir: partitionDir(topic, partition, topicsDir), partition, startOffset, format });
  }
  return out.sort((a, b) => a.partition - b.partition || a.startOffset - b.startOffset);
}

/** The objects not yet consumed according to `watermarks` (start offset above the partition's mark). */
export function objectsAfter(objects: readonly RawObject[], watermarks: Watermarks): RawObject[] {
  return objects.filter((o) => o.startOffset > (watermarks[o.dir] ?? -1));
}

/** `watermarks` moved forward to the last object of each partition in `consumed`. */
export function advance(watermarks: Watermarks, consumed: readonly RawObject[]): Record<string, number> {
  const out: Record<string, number> = { ...watermarks };
  for (const o of consumed) out[o.dir] = Math.max(out[o.dir] ?? -1, o.startOffset);
  return out;
}

/** The lower of two marks per partition (a partition missing from either counts as unconsumed). */
export function lowest(a: Watermarks, b: Watermarks): Record<string, number> {
  const out: Record<string, number> = {};
  for (const dir of Object.keys(a)) if (dir in b) out[dir] = Math.min(a[dir], b[dir]);
  return out;
}
