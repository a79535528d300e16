import { spawn, type SpawnOptions } from 'node:child_process';
import { resolve } from 'node:path';

/** What a finished `pinpipe` run printed and exited with. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The repository root (tests run from it). */
export const ROOT = resolve(import.meta.dirname, '../..');

/** Run `pinpipe <args>` from source in a child process, with logs at warn unless `env` says otherwise. */
export function pinpipe(
  args: readonly string[],
  opts: { env?: Record<string, string>; cwd?: string; uid?: number; gid?: number; timeoutMs?: number } = {},
): Promise<CliRun> {
  return new Promise((done, reject) => {
    const spawnOpts: SpawnOptions = {
      cwd: opts.cwd ?? ROOT,
      env: { ...process.env, PINPIPE_LOG_LEVEL: 'warn', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      uid: opts.uid,
      gid: opts.gid,
      timeout: opts.timeoutMs ?? 120_000,
    };
    const proc = spawn(process.execPath, ['--import', 'tsx', resolve(ROOT, 'src/cli/main.ts'), ...args], spawnOpts);
    let stdout = '';
    let stderr = '';
    proc.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    proc.on('error', reject);
    proc.on('close', (code) => done({ code, stdout, stderr }));
  });
}
