/** Kafka Connect S3 sink object naming: `topics/<topic>/partition=<p>/<topic>+<p>+<startOffset:10>.json`. */
export function objectKey(topic: string, partition: number, startOffset: number, topicsDir = 'topics'): string {
  return `${partitionDir(topic, partition, topicsDir)}${topic}+${partition}+${String(startOffset).padStart(10, '0')}.json`;
}

/** The folder (key prefix, with trailing slash) holding one partition's objects. */
export function partitionDir(topic: string, partition: number, topicsDir = 'topics'): string {
  return `${topicsDir}/${topic}/partition=${partition}/`;
}

/** The start offset encoded in an object key of the given partition, or undefined if the key is not one. */
export function startOffsetOf(key: string, topic: string, partition: number): number | undefined {
  const name = key.slice(key.lastIndexOf('/') + 1);
  const head = `${topic}+${partition}+`;
  if (!name.startsWith(head) || !name.endsWith('.json')) return undefined;
  const digits = name.slice(head.length, -'.json'.length);
  return /^\d{10,}$/.test(digits) ? Number(digits) : undefined;
}
