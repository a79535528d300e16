/** Parse a whole-number option or exit with a clear message. */
export function intOption(raw: string, name: string): number {
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) {
    process.stderr.write(`error: ${name} must be a whole number, got ${JSON.stringify(raw)}\n`);
    process.exit(2);
  }
  return n;
}
