// Test helper: raw lake objects in the lake sink's Parquet format and time-partitioned layout,
// written with the sink's own Parquet writer.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { objectKey } from '../../../src/lake/index.js';
import { ParquetObjects } from '../../../src/lake/sink/parquet-objects.js';
import type { RawLine } from './lake.js';

/**
 * Write `payloads` as Parquet objects of one topic partition, `flushSize` records per object,
 * starting at `startOffset`; `pathOf(offset)` names the encoded partition (a time path) of the
 * object starting there. Returns the records with their sources (line = row number from 1).
 */
export async function writeParquetPartition(
  lakeRoot: string,
  topic: string,
  partition: number,
  payloads: readonly string[],
  flushSize: number,
  pathOf: (offset: number) => string,
  startOffset = 0,
): Promise<RawLine[]> {
  const parquet = new ParquetObjects('snappy');
  const out: RawLine[] = [];
  try {
    for (let i = 0; i < payloads.length; i += flushSize) {
      const chunk = payloads.slice(i, i + flushSize);
      const start = startOffset + i;
      const key = objectKey(topic, partition, start, 'topics', pathOf(start), parquet.extension);
      const body = await parquet.encode(chunk.map((value, j) => ({ offset: start + j, timestamp: Date.UTC(2026, 11, 2, 18) + j, value })));
      mkdirSync(dirname(join(lakeRoot, key)), { recursive: true });
      writeFileSync(join(lakeRoot, key), body);
      chunk.forEach((payload, j) => out.push({ key, line: j + 1, payload }));
    }
  } finally {
    await parquet.close();
  }
  return out;
}
