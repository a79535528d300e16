import { join } from 'node:path';
import { BAD_LINES, emulatorPayloads, writePartition } from '../jobs/batch/lake.js';

/** A data dir whose lake holds `events` emulator events (and some bad lines) in the Connect layout. */
export function lakeWithData(dataDir: string, events = 300): void {
  const lake = join(dataDir, 'lake');
  const payloads = emulatorPayloads(events);
  for (const kind of ['pin', 'geo', 'user'] as const) writePartition(lake, `pinterest.${kind}`, 0, [...payloads[kind], ...BAD_LINES[kind]], 50);
}
