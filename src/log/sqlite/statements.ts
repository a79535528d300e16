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
    selectPartitions: db.prepare<[number], { tp: number; partition: number }>('SELECT tp, partition FROM partitions WHERE topic_id = ? ORDER BY partition'),
    firstOffset: db.prepare<[number], number>('SELECT off FROM records WHERE tp = ? ORDER BY off LIMIT 1').pluck(),
    lastOffset: db.prepare<[number], number>('SELECT off FROM records WHERE tp = ? ORDER BY off DESC LIMIT 1').pluck(),
    // No timestamp index (it would slow every append): a timestamp start scans the partition once.
    offsetAtTimestamp: db.prepare<[number, number], number>('SELECT off FROM records WHERE tp = ? AND ts >= ? ORDER BY off LIMIT 1').pluck(),
    readBatch: db.prepare<[number, number, number], RecordRow>('SELECT off, key, value, ts, appended_at FROM records WHERE tp = ? AND off >= ? ORDER BY off LIMIT ?').raw(),
    selectPositions: db.prepare<[string, number], { partition: number; off: number }>('SELECT partition, off FROM consumer_positions WHERE group_name = ? AND topic_id = ?'),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;
