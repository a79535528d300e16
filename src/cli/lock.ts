import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { PinpipeError } from '../core/errors.js';
import { fromSystemError } from './fail.js';

/** Who holds a data dir: written into `<dataDir>/pinpipe.lock` by the process that runs on it. */
export interface LockHolder {
  pid: number;
  host: string;
  command: string;
  startedAt: string;
}

/** A held data-dir lock. */
export interface DataDirLock {
  readonly path: string;
  /** Remove the lock file (also done when the process exits). */
  release(): void;
}

/** The lock file of a data dir. */
export function lockPath(dataDir: string): string {
  return join(dataDir, 'pinpipe.lock');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(path: string): LockHolder | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockHolder;
  } catch {
    return undefined;
  }
}

/**
 * Take the data dir for this process (one `pinpipe up`, `sink` or `stream` per data dir), or stop
 * with DATA_DIR_LOCKED naming the holder. A lock left by a process that is gone (kill -9, a crash)
 * on this host is taken over. The lock is released on exit.
 */
export function acquireDataDirLock(dataDir: string, command: string): DataDirLock {
  const path = lockPath(dataDir);
  const me: LockHolder = { pid: process.pid, host: hostname(), command, startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw fromSystemError(err) ?? err;
      const holder = readHolder(path);
      const stale = holder !== undefined && holder.host === me.host && holder.pid !== process.pid && !alive(holder.pid);
      // A lock file still being written (no JSON yet) belongs to a process starting right now.
      if (!stale) throw lockedError(dataDir, path, holder);
      try {
        unlinkSync(path);
      } catch {
        // Another process took it over first; try again.
      }
      continue;
    }
    writeSync(fd, `${JSON.stringify(me)}\n`);
    closeSync(fd);
    let held = true;
    const release = (): void => {
      if (!held) return;
      held = false;
      if (readHolder(path)?.pid === process.pid) unlinkSync(path);
    };
    process.once('exit', release);
    return { path, release };
  }
  throw lockedError(dataDir, path, readHolder(path));
}

function lockedError(dataDir: string, path: string, holder: LockHolder | undefined): PinpipeError {
  const who = holder ? `pinpipe ${holder.command} (pid ${holder.pid} on ${holder.host}, since ${holder.startedAt})` : 'another pinpipe process';
  return new PinpipeError('DATA_DIR_LOCKED', `${dataDir} is in use by ${who}: stop that process, or use another --data-dir (if it is gone, delete ${path})`);
}
