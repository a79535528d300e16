/**
 * The writer thread: the only connection that writes the log database. Each request runs in one
 * immediate transaction (an append batch = one group commit = one fsync), in arrival order;
 * WAL checkpoints also happen here, so neither the fsync nor the checkpoint stalls the event loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PinpipeError } from '../../core/errors.js';
import { serveThread } from '../../core/worker-thread.js';
import { openDatabase } from './schema.js';
import { INSERT_CHUNK, INSERT_COLUMNS, prepareWriteStatements } from './write-statements.js';
import type { AppendColumns, CreatedTopic, PositionRow, WriterData, WriterRequest } from './writer-protocol.js';

const { path, fsync, busyTimeoutMs } = workerData as WriterData;
const db = openDatabase(path, { fsync, busyTimeoutMs });
const st = prepareWriteStatements(db);
const args: unknown[] = new Array(INSERT_CHUNK * INSERT_COLUMNS);

const append = db.transaction((c: AppendColumns): number => {
  let rows = 0;
  for (let i = 0; i < c.count; i++) {
    const j = rows * INSERT_COLUMNS;
    args[j] = c.tp[i];
    args[j + 1] = c.off[i];
    args[j + 2] = c.key[i];
    args[j + 3] = c.value[i] ?? c.bytes.subarray(c.byteStart[i], c.byteEnd[i]);
    args[j + 4] = c.ts[i];
    args[j + 5] = c.now;
    if (++rows === INSERT_CHUNK) {
      st.insertChunk.run(args);
      rows = 0;
    }
  }
  for (let i = 0; i < rows; i++) {
    const j = i * INSERT_COLUMNS;
    st.insertOne.run(args[j], args[j + 1], args[j + 2], args[j + 3], args[j + 4], args[j + 5]);
  }
  return c.count;
});

const createTopic = db.transaction((name: string, partitions: number, createdAt: number, maxTopics: number): CreatedTopic => {
  if (st.selectTopic.get(name)) throw new PinpipeError('TOPIC_EXISTS', `Topic ${name} already exists.`);
  const topics = st.countTopics.get() ?? 0;
  if (topics >= maxTopics)
    throw new PinpipeError('TOPIC_LIMIT_REACHED', `Cannot create topic ${name}: the log holds ${topics} topics, the limit (log.maxTopics) is ${maxTopics}.`);
  const id = Number(st.insertTopic.run(name, partitions, createdAt).lastInsertRowid);
  for (let p = 0; p < partitions; p++) st.insertPartition.run(id, p, st.selectFloor.get(name, p) ?? 0);
  return { id, name, partitions, created_at: createdAt };
});

const deleteTopic = db.transaction((topicId: number): void => {
  st.saveFloors.run(topicId);
  st.deleteRecords.run(topicId);
  st.deletePositions.run(topicId);
  st.deletePartitions.run(topicId);
  st.deleteTopic.run(topicId);
});

const commitPositions = db.transaction((rows: readonly PositionRow[]): void => {
  for (const r of rows) st.upsertPosition.run(...r);
});

function handle(req: WriterRequest): unknown {
  switch (req.op) {
    case 'append':
      return append.immediate(req.cols);
    case 'createTopic':
      return createTopic.immediate(req.name, req.partitions, req.createdAt, req.maxTopics);
    case 'deleteTopic':
      return deleteTopic.immediate(req.topicId);
    case 'commitPositions':
      return commitPositions.immediate(req.rows);
    case 'close':
      db.close();
      return undefined;
  }
}

serveThread<WriterRequest>(
  (req) => ({ result: handle(req) }),
  (req) => {
    if (req.op === 'close') parentPort?.close(); // nothing else holds the thread: it exits
  },
);
