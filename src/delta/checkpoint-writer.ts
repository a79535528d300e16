import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sqlString, type Sql } from '../core/duckdb.js';
import type { ObjectStore } from '../lake/object-store.js';
import { writeLastCheckpoint } from './last-checkpoint.js';
import { checkpointKey } from './log-files.js';
import type { Snapshot } from './snapshot.js';
import { tombstoneRetentionMs } from './table-config.js';

const MAP = 'MAP(VARCHAR, VARCHAR)';
/** The classic checkpoint schema (PROTOCOL.md "Checkpoint Schema"), one action per row. */
const COLUMNS: Record<string, string> = {
  txn: 'STRUCT(appId VARCHAR, version BIGINT, lastUpdated BIGINT)',
  add: `STRUCT(path VARCHAR, partitionValues ${MAP}, size BIGINT, modificationTime BIGINT, dataChange BOOLEAN, stats VARCHAR, tags ${MAP})`,
  remove: `STRUCT(path VARCHAR, deletionTimestamp BIGINT, dataChange BOOLEAN, extendedFileMetadata BOOLEAN, partitionValues ${MAP}, size BIGINT)`,
  metaData: `STRUCT(id VARCHAR, name VARCHAR, description VARCHAR, format STRUCT(provider VARCHAR, options ${MAP}), schemaString VARCHAR, partitionColumns VARCHAR[], configuration ${MAP}, createdTime BIGINT)`,
  protocol: 'STRUCT(minReaderVersion INTEGER, minWriterVersion INTEGER)',
};

/** The actions of a checkpoint of `snapshot`: protocol, metaData, txns, live files, unexpired tombstones. */
export function checkpointActions(snapshot: Snapshot, now = Date.now()): Record<string, unknown>[] {
  const { protocol, metadata } = snapshot;
  const horizon = now - tombstoneRetentionMs(snapshot.configuration);
  const rows: Record<string, unknown>[] = [
    { protocol: { minReaderVersion: protocol.minReaderVersion, minWriterVersion: protocol.minWriterVersion } },
    {
      metaData: {
        id: metadata.id,
        name: metadata.name ?? null,
        description: metadata.description ?? null,
        format: { provider: metadata.format?.provider ?? 'parquet', options: metadata.format?.options ?? {} },
        schemaString: metadata.schemaString ?? null,
        partitionColumns: metadata.partitionColumns ?? [],
        configuration: metadata.configuration ?? {},
        createdTime: metadata.createdTime ?? null,
      },
    },
  ];
  for (const t of snapshot.state.txns.values()) rows.push({ txn: { appId: t.appId, version: t.version, lastUpdated: t.lastUpdated ?? null } });
  for (const a of snapshot.files) {
    rows.push({
      add: {
        path: a.path,
        partitionValues: a.partitionValues ?? {},
        size: a.size,
        modificationTime: a.modificationTime,
        dataChange: false,
        stats: a.stats ?? null,
        tags: a.tags ?? null,
      },
    });
  }
  for (const r of snapshot.tombstones) {
    if ((r.deletionTimestamp ?? 0) <= horizon) continue;
    rows.push({
      remove: {
        path: r.path,
        deletionTimestamp: r.deletionTimestamp ?? null,
        dataChange: false,
        extendedFileMetadata: r.extendedFileMetadata ?? null,
        partitionValues: r.partitionValues ?? null,
        size: r.size ?? null,
      },
    });
  }
  return rows;
}

/**
 * Write a classic single-part Parquet checkpoint of `snapshot` through DuckDB (NDJSON actions
 * read with the checkpoint schema, then COPY to Parquet), then point `_last_checkpoint` at it.
 */
export async function writeCheckpoint(sql: Sql, store: ObjectStore, snapshot: Snapshot): Promise<{ version: number; size: number }> {
  const rows = checkpointActions(snapshot);
  const dir = await fs.mkdtemp(join(tmpdir(), 'pinpipe-checkpoint-'));
  try {
    const jsonPath = join(dir, 'actions.ndjson');
    const parquetPath = join(dir, 'checkpoint.parquet');
    await fs.writeFile(jsonPath, `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
    const columns = `{${Object.entries(COLUMNS)
      .map(([k, v]) => `${k}: ${sqlString(v)}`)
      .join(', ')}}`;
    const source = `read_json(${sqlString(jsonPath)}, format = 'newline_delimited', columns = ${columns}, maximum_object_size = 268435456)`;
    await sql.exec(`COPY (SELECT ${Object.keys(COLUMNS).join(', ')} FROM ${source}) TO ${sqlString(parquetPath)} (FORMAT parquet, COMPRESSION snappy)`);
    const bytes = await fs.readFile(parquetPath);
    await store.put(checkpointKey(snapshot.table, snapshot.version), bytes);
    const numOfAddFiles = snapshot.files.length;
    await writeLastCheckpoint(store, snapshot.table, { version: snapshot.version, size: rows.length, sizeInBytes: bytes.length, numOfAddFiles });
    return { version: snapshot.version, size: rows.length };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
