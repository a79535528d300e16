import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { ANALYTICS } from '../../../src/analytics/index.js';
import { DeltaTable } from '../../../src/delta/index.js';
import { LocalObjectStore } from '../../../src/lake/index.js';
import { canonicalRows, readDeltaTableIndependently, sortRows } from '../../helpers/independent-delta.js';

/** Every table key the batch job writes. */
export const ALL_TABLES = ['tables/pin', 'tables/geo', 'tables/user', 'tables/rejects', ...ANALYTICS.map((a) => `results/${a.id}`)];

/**
 * The rows of a batch table read by our Delta reader, after checking that the independent reader
 * (hyparquet, no shared code) sees the same rows and that the log versions are contiguous from 0.
 */
export async function readChecked(lakeRoot: string, key: string): Promise<Record<string, unknown>[]> {
  const table = await DeltaTable.open(new LocalObjectStore(lakeRoot), key);
  try {
    const ours = await table.readRows();
    const independent = await readDeltaTableIndependently(join(lakeRoot, key));
    assert.deepEqual(sortRows(canonicalRows(ours, independent.schema)), sortRows(independent.rows), `${key}: our reader and the independent reader disagree`);
    const versions = (await fs.readdir(join(lakeRoot, key, '_delta_log')))
      .filter((n) => /^\d{20}\.json$/.test(n))
      .map((n) => Number(n.slice(0, 20)))
      .sort((a, b) => a - b);
    assert.deepEqual(
      versions,
      versions.map((_, i) => i),
      `${key}: commit versions are not contiguous from 0`,
    );
    assert.equal(independent.version, versions.at(-1));
    return ours;
  } finally {
    await table.close();
  }
}

/** Canonical, sorted rows of every batch table, for comparing two lakes. */
export async function snapshotAll(lakeRoot: string): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const key of ALL_TABLES) {
    const independent = await readDeltaTableIndependently(join(lakeRoot, key));
    out[key] = sortRows(canonicalRows(await readChecked(lakeRoot, key), independent.schema));
  }
  return out;
}

/** The txn versions a table holds (independent reader). */
export async function txnsOf(lakeRoot: string, key: string): Promise<Record<string, number>> {
  return (await readDeltaTableIndependently(join(lakeRoot, key))).txns;
}

/** The latest commit version of a table. */
export async function versionOf(lakeRoot: string, key: string): Promise<number> {
  return (await readDeltaTableIndependently(join(lakeRoot, key))).version;
}
