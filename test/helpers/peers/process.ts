import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { once } from 'node:events';

/** A peer process started by a test: its output for failure messages, and a stop that waits for the exit. */
export interface PeerProcess {
  proc: ChildProcess;
  /** Everything the process printed so far (stdout and stderr, last 64 KiB). */
  output(): string;
  /** Whether the process has exited. */
  exited(): boolean;
  /** Send `signal` (then SIGKILL after `graceMs`) and wait until the process is gone. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

const live = new Set<ChildProcess>();
let hooked = false;

/** Kill every peer still running when the test process exits, so a failed test leaks nothing. */
function killLeftovers(): void {
  for (const p of live) p.kill('SIGKILL');
}

/** Start a peer process with piped output; it is killed if the test process exits first. */
export function spawnPeer(cmd: string, args: string[], opts: SpawnOptions = {}): PeerProcess {
  const proc = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (d: Buffer) => {
    out += d.toString();
    if (out.length > 65_536) out = out.slice(-65_536);
  };
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  proc.on('error', (err) => keep(Buffer.from(`\n[spawn error] ${err.message}\n`)));
  live.add(proc);
  proc.once('exit', () => live.delete(proc));
  if (!hooked) {
    hooked = true;
    process.once('exit', killLeftovers);
  }
  const exited = () => proc.exitCode !== null || proc.signalCode !== null;
  return {
    proc,
    output: () => out,
    exited,
    async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000) {
      if (exited() || proc.pid === undefined) return;
      const gone = once(proc, 'exit');
      proc.kill(signal);
      const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      await gone;
      clearTimeout(timer);
    },
  };
}
