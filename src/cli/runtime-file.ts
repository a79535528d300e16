import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** What a running `pinpipe up` records in its data dir, so that other commands find it without `--url`. */
export interface RuntimeInfo {
  pid: number;
  /** Where its API answers, as a client on this machine reaches it (a wildcard bind address becomes loopback). */
  url: string;
  /** The dashboard's address. */
  dashboard: string;
  startedAt: number;
  prefix: string;
  version: string;
  /** Tells this run's file from a later one's (a stopping process removes only its own). */
  instance: string;
}

/** Where a data dir's runtime file is. */
export function runtimeFilePath(dataDir: string): string {
  return join(resolve(dataDir), 'pinpipe.runtime.json');
}

/** A listen address as a client reaches it: `0.0.0.0` → `127.0.0.1`, `[::]` → `[::1]`, no trailing slash. */
export function clientUrl(listening: string): string {
  return listening.replace('//0.0.0.0', '//127.0.0.1').replace('//[::]', '//[::1]').replace(/\/+$/, '');
}

/**
 * Record where this process listens (written to a temporary name and renamed, so a reader never
 * sees half a file) and remove the file when the process exits, whichever way it exits short of
 * SIGKILL (a file left behind is recognised as stale by its dead pid). Returns the removal.
 */
export function writeRuntimeFile(dataDir: string, info: Omit<RuntimeInfo, 'pid' | 'instance'>): { info: RuntimeInfo; remove(): void } {
  const full: RuntimeInfo = { pid: process.pid, instance: randomUUID(), ...info };
  const path = runtimeFilePath(dataDir);
  mkdirSync(resolve(dataDir), { recursive: true });
  writeFileSync(`${path}.${process.pid}.tmp`, `${JSON.stringify(full, null, 2)}\n`);
  renameSync(`${path}.${process.pid}.tmp`, path);
  const remove = (): void => {
    process.off('exit', remove);
    const now = readRuntimeFile(dataDir);
    if (now?.instance === full.instance) rmSync(path, { force: true });
  };
  process.on('exit', remove);
  return { info: full, remove };
}

/** The runtime file of a data dir, or undefined when there is none (or it cannot be read as one). */
export function readRuntimeFile(dataDir: string): RuntimeInfo | undefined {
  try {
    const info = JSON.parse(readFileSync(runtimeFilePath(dataDir), 'utf8')) as RuntimeInfo;
    return typeof info.pid === 'number' && typeof info.url === 'string' ? info : undefined;
  } catch {
    return undefined;
  }
}

/** True when a process with this pid exists (signal 0 checks without sending anything). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** What the data dir says about a running pipeline: its file, or a file left by a process that is gone, or nothing. */
export type RunningPipeline =
  { state: 'running'; info: RuntimeInfo; path: string } | { state: 'stale'; info: RuntimeInfo; path: string } | { state: 'none'; path: string };

/** Find the `pinpipe up` of a data dir through its runtime file; a file whose process is gone is `stale`. */
export function findRunningPipeline(dataDir: string): RunningPipeline {
  const path = runtimeFilePath(dataDir);
  const info = readRuntimeFile(dataDir);
  if (!info) return { state: 'none', path };
  return { state: processAlive(info.pid) ? 'running' : 'stale', info, path };
}
