import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { peerCacheDir } from './peer.js';

/** A Python virtual environment made from one of `scripts/peers/requirements/<name>.txt`. */
export interface PythonVenv {
  /** The venv's python executable. */
  python: string;
  /** Path of a console script installed in the venv (e.g. `moto_server`, `airflow`). */
  bin(tool: string): string;
  dir: string;
}

const REQUIREMENTS = fileURLToPath(new URL('../../../scripts/peers/requirements/', import.meta.url));

/**
 * The venv for `scripts/peers/requirements/<name>.txt` (pinned versions; a `<name>.constraints.txt`
 * beside it is passed as pip's constraints), created once under the peer cache and reused while
 * the requirement files are unchanged. Concurrent callers wait for one creator. Returns undefined
 * when it cannot be made (no python3, no index), with the reason in `error`.
 * @example const venv = await pythonVenv('moto'); if (!venv.ok) skip(peerMissing('moto', venv.error));
 */
export async function pythonVenv(name: string, opts: { timeoutMs?: number } = {}): Promise<{ ok: true; venv: PythonVenv } | { ok: false; error: string }> {
  const req = join(REQUIREMENTS, `${name}.txt`);
  const constraints = join(REQUIREMENTS, `${name}.constraints.txt`);
  const hash = createHash('sha256').update(readFileSync(req));
  if (existsSync(constraints)) hash.update(readFileSync(constraints));
  const dir = peerCacheDir('venvs', `${name}-${hash.digest('hex').slice(0, 12)}`);
  const venv: PythonVenv = { dir, python: join(dir, 'bin', 'python'), bin: (tool) => join(dir, 'bin', tool) };
  const done = join(dir, '.complete');
  if (existsSync(done)) return { ok: true, venv };

  const lock = `${dir}.lock`;
  mkdirSync(peerCacheDir('venvs'), { recursive: true });
  const deadline = Date.now() + (opts.timeoutMs ?? 20 * 60_000);
  for (;;) {
    try {
      mkdirSync(lock); // atomic: one creator at a time, across processes
      break;
    } catch {
      if (existsSync(done)) return { ok: true, venv };
      if (Date.now() > deadline) return { ok: false, error: `timed out waiting for ${lock} (remove it if no other test is creating the venv)` };
      await sleep(1000);
    }
  }
  try {
    if (existsSync(done)) return { ok: true, venv };
    rmSync(dir, { recursive: true, force: true });
    const make = spawnSync('python3', ['-m', 'venv', dir], { encoding: 'utf8' });
    if (make.status !== 0) return { ok: false, error: `python3 -m venv failed: ${make.stderr || make.error?.message}` };
    const args = ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', req];
    if (existsSync(constraints)) args.push('-c', constraints);
    const pip = spawnSync(venv.python, args, { encoding: 'utf8', timeout: opts.timeoutMs ?? 20 * 60_000 });
    if (pip.status !== 0) return { ok: false, error: `pip install -r ${req} failed: ${(pip.stderr || pip.error?.message || '').slice(-2000)}` };
    writeFileSync(done, new Date().toISOString());
    return { ok: true, venv };
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
