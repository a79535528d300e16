import { streamNames } from '../../core/config.js';
import { openDuckDB } from '../../core/duckdb.js';
import { isError } from '../../core/errors.js';
import { DeltaTable } from '../../delta/index.js';
import type { ObjectStore } from '../../lake/object-store.js';
import { hasOffsets, type Log } from '../../log/log.js';
import { RECORD_KINDS, type RecordKind } from '../../transforms/index.js';
import { readCheckpoint } from './stream-checkpoint.js';
import { streamAppId, streamTableKeys } from './stream-tables.js';

/** A streamed table as its latest snapshot describes it. */
export interface TableStatus {
  key: string;
  version: number;
  files: number;
  /** From file statistics; undefined when a file has none. */
  rows: number | undefined;
  bytes: number;
  /** When the job last committed to it (epoch ms) and that micro-batch's id. */
  lastCommitAt: number | undefined;
  batch: number | undefined;
}

/** One stream: its log end, what the table has committed of it, and the lag between. */
export interface StreamStatus {
  kind: RecordKind;
  stream: string;
  /** Undefined when the stream does not exist yet. */
  shards: number | undefined;
  /** Records in the stream (sum over shards of the next offset); undefined on a log without offsets (Kinesis). */
  logEnd: number | undefined;
  /** Records covered by the table's last committed micro-batch (sum over shards); undefined on a log without offsets. */
  committed: number | undefined;
  /** Records after the positions of the last committed micro-batch, as the log counts them: what a restart would still have to process. */
  lag: number;
  table: TableStatus | undefined;
}

export interface JobStatus {
  streams: StreamStatus[];
  rejects: TableStatus | undefined;
}

async function tableStatus(table: DeltaTable, appId: string | undefined): Promise<TableStatus> {
  const snap = await table.snapshot();
  const cp = appId ? await readCheckpoint(table, appId) : undefined;
  return {
    key: table.table,
    version: snap.version,
    files: snap.files.length,
    rows: snap.numRecords,
    bytes: snap.sizeBytes,
    lastCommitAt: cp?.timestamp,
    batch: cp?.batch,
  };
}

/**
 * The stream job's progress read from the durable state alone (the log and the tables' commits),
 * so it works whether or not the job runs and in whichever process it runs.
 */
export async function readJobStatus(o: { log: Log; store: ObjectStore; prefix: string; jobId: string }): Promise<JobStatus> {
  const names = streamNames(o.prefix);
  const keys = streamTableKeys(o.prefix);
  const sql = await openDuckDB({ threads: 1 });
  const open = async (key: string): Promise<DeltaTable | undefined> => {
    try {
      return await DeltaTable.open(o.store, key, { sql });
    } catch (err) {
      if (isError(err, 'DELTA_TABLE_NOT_FOUND')) return undefined;
      throw err;
    }
  };
  try {
    const streams: StreamStatus[] = [];
    for (const kind of RECORD_KINDS) {
      const stream = names[kind];
      const info = await o.log.describeTopic(stream);
      const table = await open(keys[kind]);
      const appId = streamAppId(o.jobId, kind, 'clean');
      const cp = table ? await readCheckpoint(table, appId) : undefined;
      const offsets = hasOffsets(o.log) ? o.log : undefined;
      let committed = 0;
      let lag = 0;
      for (let p = 0; p < (info?.partitions ?? 0); p++) {
        const at = cp?.cursors.get(p)?.position;
        lag += (await o.log.lag(stream, p, at)).records;
        if (offsets && at !== undefined) committed += offsets.offsetOf(at) + 1;
      }
      streams.push({
        kind,
        stream,
        shards: info?.partitions,
        logEnd: offsets ? committed + lag : undefined,
        committed: offsets ? committed : undefined,
        lag,
        table: table ? await tableStatus(table, appId) : undefined,
      });
    }
    const rejects = await open(keys.rejects);
    return { streams, rejects: rejects ? await tableStatus(rejects, undefined) : undefined };
  } finally {
    sql.close();
  }
}
