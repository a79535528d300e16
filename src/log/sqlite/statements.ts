import type { Db } from './schema.js';

export interface TopicRow {
  id: number;
  name: string;
  partitions: number;
  created_at: number;
}

/** One raw record row: off, key, value, ts, appended_at. */
export type RecordRow = [number, string | null, string, number, number];

/** The read statements of the main connection (writes go through the writer thread). */
export function prepareStatements(db: Db) {
  return {
    selectTopics: db.prepare<[], TopicRow>('SELECT id, name, partitions, created_at FROM topics ORDER BY name'),
    selectTopic: db.prepare<[string], TopicRow>('SELECT id, name, partitions, created_at FROM topics WHERE name = ?'),
    selectPartitions: db.prepare<[number], { tp: number; partition: number; start_off: number }>(
      'SELECT tp, partition, start_off FROM partitions WHERE topic_id = ? ORDER BY partition',
    ),
    firstOffset: db.prepare<[number], number>('SELECT off FROM records WHERE tp = ? ORDER BY off LIMIT 1').pluck(),
    lastOffset: db.prepare<[number], number>('SELECT off FROM records WHERE tp = ? ORDER BY off DESC LIMIT 1').pluck(),
    // No timestamp index (it would slow every append): a timestamp start scans the partition once.
    offsetAtTimestamp: db.prepare<[number, number], number>('SELECT off FROM records WHERE tp = ? AND ts >= ? ORDER BY off LIMIT 1').pluck(),
    readBatch: db
      .prepare<[number, number, number], RecordRow>('SELECT off, key, value, ts, appended_at FROM records WHERE tp = ? AND off >= ? ORDER BY off LIMIT ?')
      .raw(),
    // One chunk of values as lines, joined by SQLite itself (CAST: the UTF-8 bytes, with no JS string per record).
    readLines: db
      .prepare<[number, number, number], [number, number | null, number | null, number | null, Buffer | null]>(
        `SELECT count(*), min(off), max(off), max(ts), CAST(group_concat(value, char(10) ORDER BY off) || char(10) AS BLOB)
         FROM (SELECT off, ts, value FROM records WHERE tp = ? AND off >= ? ORDER BY off LIMIT ?)`,
      )
      .raw(),
    timestampAt: db.prepare<[number, number], number>('SELECT ts FROM records WHERE tp = ? AND off = ?').pluck(),
    selectPositions: db.prepare<[string, number], { partition: number; off: number }>(
      'SELECT partition, off FROM consumer_positions WHERE group_name = ? AND topic_id = ?',
    ),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;
