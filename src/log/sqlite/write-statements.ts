import type Database from 'better-sqlite3';
import type { Db } from './schema.js';
import type { TopicRow } from './statements.js';

/** Rows per multi-row INSERT: binding 50 rows at once costs far less CPU than 50 calls (measured ~40% less). */
export const INSERT_CHUNK = 50;
/** Columns bound per inserted record: tp, off, key, value, ts, appended_at. */
export const INSERT_COLUMNS = 6;

/** The statements of the writer connection (the only connection that writes). */
export function prepareWriteStatements(db: Db) {
  const insertRows = (n: number): Database.Statement<unknown[]> =>
    // CAST: a value handed over as UTF-8 bytes is stored as the text it encodes (no conversion; a string is unchanged).
    db.prepare(`INSERT INTO records (tp, off, key, value, ts, appended_at) VALUES ${Array(n).fill('(?,?,?,CAST(? AS TEXT),?,?)').join(',')}`);
  return {
    insertOne: insertRows(1),
    insertChunk: insertRows(INSERT_CHUNK),
    selectTopic: db.prepare<[string], TopicRow>('SELECT id, name, partitions, created_at FROM topics WHERE name = ?'),
    countTopics: db.prepare<[], number>('SELECT count(*) FROM topics').pluck(),
    insertTopic: db.prepare<[string, number, number]>('INSERT INTO topics (name, partitions, created_at) VALUES (?, ?, ?)'),
    insertPartition: db.prepare<[number, number, number]>('INSERT INTO partitions (topic_id, partition, start_off) VALUES (?, ?, ?)'),
    selectFloor: db.prepare<[string, number], number>('SELECT next_off FROM offset_floors WHERE name = ? AND partition = ?').pluck(),
    // Each partition's end (the offset after its last record, at least where it started) kept for the name.
    saveFloors: db.prepare<[number]>(
      `INSERT INTO offset_floors (name, partition, next_off)
       SELECT t.name, p.partition, max(p.start_off, coalesce((SELECT max(off) FROM records r WHERE r.tp = p.tp), -1) + 1)
       FROM partitions p JOIN topics t ON t.id = p.topic_id WHERE p.topic_id = ?
       ON CONFLICT (name, partition) DO UPDATE SET next_off = max(next_off, excluded.next_off)`,
    ),
    deleteRecords: db.prepare<[number]>('DELETE FROM records WHERE tp IN (SELECT tp FROM partitions WHERE topic_id = ?)'),
    deletePartitions: db.prepare<[number]>('DELETE FROM partitions WHERE topic_id = ?'),
    deletePositions: db.prepare<[number]>('DELETE FROM consumer_positions WHERE topic_id = ?'),
    deleteTopic: db.prepare<[number]>('DELETE FROM topics WHERE id = ?'),
    upsertPosition: db.prepare<[string, number, number, number]>(
      'INSERT INTO consumer_positions (group_name, topic_id, partition, off) VALUES (?, ?, ?, ?) ON CONFLICT (group_name, topic_id, partition) DO UPDATE SET off = excluded.off',
    ),
  };
}

export type WriteStatements = ReturnType<typeof prepareWriteStatements>;
