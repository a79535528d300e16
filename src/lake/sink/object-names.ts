/**
 * Kafka Connect S3 sink object naming: `<topicsDir>/<topic>/<encodedPartition>/<topic>+<p>+<startOffset:10>.<ext>`.
 * The encoded partition is `partition=<p>` (Connect's DefaultPartitioner) or a time path such as
 * `year=2026/month=12/day=02/hour=18` (its TimeBasedPartitioner); the extension is `json` or
 * `<codec>.parquet` (`snappy.parquet`, `gz.parquet`, … or plain `parquet` uncompressed).
 */
export function objectKey(topic: string, partition: number, startOffset: number, topicsDir = 'topics', encodedPartition?: string, extension = 'json'): string {
  const dir = encodedPartition === undefined ? partitionDir(topic, partition, topicsDir) : `${topicsDir}/${topic}/${encodedPartition}/`;
  return `${dir}${topic}+${partition}+${String(startOffset).padStart(10, '0')}.${extension}`;
}

/** The folder (key prefix, with trailing slash) holding one partition's objects in the default layout. */
export function partitionDir(topic: string, partition: number, topicsDir = 'topics'): string {
  return `${topicsDir}/${topic}/partition=${partition}/`;
}

/** What an object key the lake sink writes says about its object. */
export interface ObjectName {
  topic: string;
  partition: number;
  startOffset: number;
  /** The folders between the topic and the file name: `partition=<p>` or a time path. */
  encodedPartition: string;
  format: 'json' | 'parquet';
}

const FILE_NAME = /^([a-zA-Z0-9._-]+)\+(\d+)\+(\d{10,})\.(json|(?:[a-z0-9]+\.)?parquet)$/;

/**
 * Parse a key under `<topicsDir>/<topic>/` the way the lake sink names objects, in either layout
 * and either format; undefined for anything else (temp files, foreign files, names the sink
 * never writes, such as a partition or offset spelled differently or beyond exact integers).
 */
export function parseObjectKey(key: string, topic: string, topicsDir = 'topics'): ObjectName | undefined {
  const prefix = `${topicsDir}/${topic}/`;
  if (!key.startsWith(prefix)) return undefined;
  const slash = key.lastIndexOf('/');
  const encodedPartition = key.slice(prefix.length, slash);
  const m = FILE_NAME.exec(key.slice(slash + 1));
  if (!m || m[1] !== topic || encodedPartition === '' || encodedPartition.split('/').some((p) => p === '' || p.startsWith('_') || p.startsWith('.')))
    return undefined;
  const partition = Number(m[2]);
  const startOffset = Number(m[3]);
  if (!Number.isSafeInteger(partition) || String(partition) !== m[2] || !Number.isSafeInteger(startOffset)) return undefined;
  if (String(startOffset).padStart(10, '0') !== m[3]) return undefined;
  const dirPartition = /^partition=(\d+)$/.exec(encodedPartition);
  if (dirPartition && dirPartition[1] !== m[2]) return undefined; // the default layout names the file's own partition
  return { topic, partition, startOffset, encodedPartition, format: m[4] === 'json' ? 'json' : 'parquet' };
}

/** The start offset encoded in an object key of the given partition (any layout, any format), or undefined if the key is not one. */
export function startOffsetOf(key: string, topic: string, partition: number): number | undefined {
  const slash = key.lastIndexOf('/');
  const m = FILE_NAME.exec(key.slice(slash + 1));
  if (!m || m[1] !== topic || m[2] !== String(partition)) return undefined;
  const start = Number(m[3]);
  return Number.isSafeInteger(start) ? start : undefined;
}
