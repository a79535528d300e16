// Raw lake objects for the batch benchmark, written directly in the Kafka Connect layout the lake
// sink produces (posting millions of records through the API would take far longer than the run
// being measured; the sink has its own benchmark).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generateRow } from '../../src/emulator/index.js';
import { objectKey } from '../../src/lake/index.js';

const KINDS = ['pin', 'geo', 'user'] as const;

export interface LakeDataOptions {
  /** Lake root directory. */
  readonly root: string;
  /** Events to write (one pin, geo and user record each). */
  readonly events: number;
  /** First offset of the objects (continue a lake written earlier). */
  readonly startOffset: number;
  /** Rows of the source dataset events are sampled from, with replacement (the emulator's default is 11,000). */
  readonly datasetRows: number;
  /** Give every event its own key (ind = its offset) instead of the sampled row's: no two payloads alike. */
  readonly unique: boolean;
  readonly flushSize: number;
  readonly seed: number;
}

/** mulberry32: a small seeded generator, so that runs write the same lake. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Write `events` sampled events as objects of partition 0 of `pinterest.pin|geo|user`; returns the bytes written. */
export function writeLakeData(o: LakeDataOptions): number {
  const rows = Array.from({ length: o.datasetRows }, (_, i) => generateRow(i, 42));
  // Each serialized record split around its key, so --unique can put another key in cheaply.
  const parts = Object.fromEntries(
    KINDS.map((k) => {
      const key = k === 'pin' ? 'index' : 'ind';
      return [
        k,
        rows.map((r) => {
          const text = JSON.stringify(r[k]);
          const head = `{"${key}":`;
          const rest = text.slice(text.indexOf(','));
          return { head, rest, text };
        }),
      ];
    }),
  ) as Record<(typeof KINDS)[number], { head: string; rest: string; text: string }[]>;
  const next = rng(o.seed);
  let bytes = 0;
  for (let start = 0; start < o.events; start += o.flushSize) {
    const n = Math.min(o.flushSize, o.events - start);
    const picks = Array.from({ length: n }, () => Math.floor(next() * o.datasetRows));
    for (const k of KINDS) {
      const offset = o.startOffset + start;
      const body = `${picks.map((p, i) => (o.unique ? `${parts[k][p].head}${offset + i}${parts[k][p].rest}` : parts[k][p].text)).join('\n')}\n`;
      const path = join(o.root, objectKey(`pinterest.${k}`, 0, offset));
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, body);
      bytes += Buffer.byteLength(body);
    }
  }
  return bytes;
}
