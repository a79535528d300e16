import { spawn, spawnSync } from 'node:child_process';

/** Whether Debian's `kcat` (librdkafka's command-line client) is installed. */
export function kcatMissing(): string | false {
  const r = spawnSync('kcat', ['-V'], { encoding: 'utf8' });
  return r.status === 0 ? false : `kcat not found (apt-get install kcat): ${r.error?.message ?? r.stderr}`;
}

/**
 * Run `kcat -b <bootstrap> …args`, writing `input` to its stdin; resolves with its stdout, or
 * rejects with its stderr when it fails or outlives `timeoutMs`.
 * @example await kcat(broker.bootstrap, ['-P', '-t', topic, '-K', ':'], 'k:{"a":1}\n');
 */
export function kcat(bootstrap: string, args: string[], input = '', timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const proc = spawn('kcat', ['-b', bootstrap, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
    proc.on('error', reject);
    proc.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`kcat ${args.join(' ')} failed (${signal ?? code}): ${err}`));
    });
    proc.stdin.end(input);
  });
}
