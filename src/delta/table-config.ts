/** Table properties (metaData.configuration) this implementation honours, with Delta's defaults. */
const UNITS_MS: Record<string, number> = {
  millisecond: 1,
  second: 1000,
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 604_800_000,
};

/** Parse a Delta interval property such as `interval 1 week` or `interval 36 hours` into ms. */
export function parseIntervalMs(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const m = /^\s*(?:interval\s+)?(\d+)\s+([a-z]+?)s?\s*$/i.exec(text);
  if (!m) return undefined;
  const unit = UNITS_MS[m[2].toLowerCase()];
  return unit === undefined ? undefined : Number(m[1]) * unit;
}

/** `delta.checkpointInterval` (default 10): write a checkpoint after every commit whose version is a multiple of it. */
export function checkpointInterval(configuration: Record<string, string>): number {
  const n = Number(configuration['delta.checkpointInterval']);
  return Number.isSafeInteger(n) && n > 0 ? n : 10;
}

/** `delta.deletedFileRetentionDuration` (default one week): how long tombstones are kept in checkpoints. */
export function tombstoneRetentionMs(configuration: Record<string, string>): number {
  return parseIntervalMs(configuration['delta.deletedFileRetentionDuration']) ?? UNITS_MS.week;
}

/** `delta.appendOnly`: when true, data may only be added. */
export function isAppendOnly(configuration: Record<string, string>): boolean {
  return (configuration['delta.appendOnly'] ?? '').toLowerCase() === 'true';
}
