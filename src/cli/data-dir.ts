import { mkdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PinpipeError } from '../core/errors.js';
import { fromSystemError } from './fail.js';

/** Stop with DATA_DIR_MISSING unless `dataDir` is an existing directory: every command but `up` and `generate` reads one that `pinpipe up` made. */
export function requireDataDir(dataDir: string): void {
  const st = statSync(dataDir, { throwIfNoEntry: false });
  if (!st)
    throw new PinpipeError(
      'DATA_DIR_MISSING',
      `no pinpipe data dir at ${dataDir}: pass the --data-dir that pinpipe up used (or set PINPIPE_DATA_DIR), or start one with pinpipe up`,
    );
  if (!st.isDirectory()) throw new PinpipeError('DATA_DIR_MISSING', `${dataDir} is a file, not a pinpipe data dir: pass the --data-dir that pinpipe up used`);
}

/** Create `dir` (and its parents) and prove that it and its existing `subdirs` take a new file, so an unwritable data dir fails at once with one line. */
export function ensureWritableDir(dir: string, subdirs: readonly string[] = []): void {
  const probe = (d: string): void => {
    const file = join(d, `.pinpipe-write-test-${process.pid}`);
    writeFileSync(file, '');
    unlinkSync(file);
  };
  try {
    mkdirSync(dir, { recursive: true });
    probe(dir);
    for (const sub of subdirs) if (statSync(join(dir, sub), { throwIfNoEntry: false })?.isDirectory()) probe(join(dir, sub));
  } catch (err) {
    throw (
      fromSystemError(err) ??
      new PinpipeError('DIR_NOT_WRITABLE', `cannot write to ${dir} (${(err as Error).message}): fix it, or choose another --data-dir`, { cause: err })
    );
  }
}
