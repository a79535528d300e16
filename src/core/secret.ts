import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Bytes of a data-dir secret. */
const SECRET_BYTES = 32;

/**
 * A random secret kept in `<dataDir>/secrets/<name>` (mode 0600), made on first use: every process
 * of one data dir (`up`, `serve` instances sharing it) signs and checks with the same key, and a
 * new data dir gets a new one. Example: `dataDirSecret(config.dataDir, 'shard-iterators')`.
 */
export function dataDirSecret(dataDir: string, name: string): Buffer {
  const dir = join(resolve(dataDir), 'secrets');
  const file = join(dir, name);
  try {
    const existing = readFileSync(file);
    if (existing.length === SECRET_BYTES) return existing;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  try {
    writeFileSync(file, randomBytes(SECRET_BYTES), { mode: 0o600, flag: 'wx' }); // wx: a process racing us wins, we read its key
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return readFileSync(file);
}
