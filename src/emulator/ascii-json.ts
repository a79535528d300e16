const NON_ASCII = /[\u007f-\uffff]/g;

/** JSON with every non-ASCII character escaped as `\uXXXX`, byte for byte what Python's `json.dumps` sends. */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(NON_ASCII, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
