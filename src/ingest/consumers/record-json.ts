import type { ConsumerFormat } from './consumer-manager.js';

/**
 * A stored key or value as JSON text for a consumer's answer. `json` format: the stored text as it
 * is when it is JSON (it is spliced in, never re-serialised: a value of any nesting depth or number
 * form goes out exactly as stored), else the text as a JSON string; `binary`: base64 of its bytes.
 */
export function storedJson(text: string | null, format: ConsumerFormat): string {
  if (text === null) return 'null';
  if (format === 'binary') return `"${Buffer.from(text).toString('base64')}"`;
  try {
    JSON.parse(text); // V8's parser is not recursive: any depth is checked without a stack overflow
    return text;
  } catch {
    return JSON.stringify(text);
  }
}

/** One fetched record as REST Proxy v2 JSON: `{"topic","partition","offset","key","value"}`. */
export function fetchedRecordJson(topic: string, partition: number, offset: number, key: string | null, value: string, format: ConsumerFormat): string {
  return `{"topic":${JSON.stringify(topic)},"partition":${partition},"offset":${offset},"key":${storedJson(key, format)},"value":${storedJson(value, format)}}`;
}
