import type { ObjectStore } from '../../lake/object-store.js';
import { startOffsetOf } from '../../lake/sink/object-names.js';

/** One raw lake object written by the lake sink: `topics/<topic>/partition=<p>/<topic>+<p>+<start>.json`. */
export interface RawObject {
  readonly key: string;
  /** The partition folder, `topics/<topic>/partition=<p>/`: the unit a watermark covers. */
  readonly dir: string;
  readonly partition: number;
  /** Offset of the object's first record in its log partition. */
  readonly startOffset: number;
}

/** Per partition folder, the start offset of the last object consumed; absent = nothing consumed. */
export type Watermarks = Readonly<Record<string, number>>;

const PARTITION_DIR = /^partition=(\d+)$/;

/**
 * The raw objects of a topic in the lake, ordered by partition then start offset. Keys that do
 * not follow the Connect layout (temp files, foreign files) are left out.
 */
export async function listRawObjects(store: ObjectStore, topic: string, topicsDir = 'topics'): Promise<RawObject[]> {
  const prefix = `${topicsDir}/${topic}/`;
  const out: RawObject[] = [];
  for (const o of await store.list(prefix)) {
    const rest = o.key.slice(prefix.length).split('/');
    const m = rest.length === 2 ? PARTITION_DIR.exec(rest[0]) : null;
    if (!m) continue;
    const partition = Number(m[1]);
    const startOffset = startOffsetOf(o.key, topic, partition);
    if (startOffset === undefined) continue;
    out.push({ key: o.key, dir: `${prefix}${rest[0]}/`, partition, startOffset });
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
