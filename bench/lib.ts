import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/** Start a server process and wait for the `API <url>` line it prints. */
export async function startServer(args: string[], env: Record<string, string> = {}): Promise<{ url: string; proc: ChildProcess; stop: () => Promise<void> }> {
  const proc = spawn(process.execPath, args, { env: { ...process.env, PINPIPE_LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /API\s+(http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    proc.on('exit', (c) => reject(new Error(`server exited ${c}: ${out}`)));
  });
  return {
    url,
    proc,
    async stop() {
      proc.kill('SIGTERM');
      await once(proc, 'exit');
    },
  };
}

/** Format a number with thousands separators. */
export const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

/** Print a Markdown table. */
export function table(header: string[], rows: (string | number)[][]): void {
  const all = [header, ...rows.map((r) => r.map(String))];
  const w = header.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(w[i])).join(' | ')} |`;
  console.log(line(all[0]));
  console.log(`|${w.map((x) => '-'.repeat(x + 2)).join('|')}|`);
  for (const r of all.slice(1)) console.log(line(r));
}
