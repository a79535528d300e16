import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

export interface RunningServer {
  url: string;
  proc: ChildProcess;
  output: () => string;
  /** Send a signal and wait for the process to exit. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Start `pinpipe <args>` from source (tsx) and wait until it prints its API URL. */
export async function startPinpipe(args: string[], env: Record<string, string> = {}, timeoutMs = 60_000): Promise<RunningServer> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    env: { ...process.env, PINPIPE_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`pinpipe did not start:\n${out}`)), timeoutMs);
    const check = () => {
      const m = /API\s+(http:\/\/[^\s]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    proc.stdout!.on('data', check);
    proc.on('exit', (code) => reject(new Error(`pinpipe exited with ${code}:\n${out}`)));
  });
  return {
    url,
    proc,
    output: () => out,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode;
      proc.kill(signal);
      const [code] = (await once(proc, 'exit')) as [number | null];
      return code;
    },
  };
}

export { peerMissing } from './peers/peer.js';
