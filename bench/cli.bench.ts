// How long `pinpipe --help` and `pinpipe --version` take from the built package, beside the
// baseline measured in the same run: `node -e 0`, a Node process doing nothing. The target is
// `--help` under 300 ms; commands load DuckDB, fastify, faker and the log only when they run.
// Usage: npm run build && npm run bench:cli   (BENCH_RUNS, default 15 per command, alternating)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const MAIN = 'dist/cli/main.js';
if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first`);
const runs = Number(process.env.BENCH_RUNS ?? 15);

const cases: [string, string[]][] = [
  ['node -e 0 (baseline)', ['-e', '0']],
  ['pinpipe --help', [MAIN, '--help']],
  ['pinpipe --version', [MAIN, '--version']],
  ['pinpipe query --help', [MAIN, 'query', '--help']],
];
const times = new Map<string, number[]>(cases.map(([name]) => [name, []]));
for (let i = 0; i < runs; i++) {
  for (const [name, args] of cases) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`${name} exited with ${r.status}`);
    times.get(name)!.push(performance.now() - t0);
  }
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p90 = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)];
const base = median(times.get(cases[0][0])!);
console.log(`CLI startup, ${runs} runs each (alternating), wall time of the whole process:`);
for (const [name] of cases) {
  const xs = times.get(name)!;
  const m = median(xs);
  console.log(
    `  ${name.padEnd(24)} median ${m.toFixed(0).padStart(5)} ms  p90 ${p90(xs).toFixed(0).padStart(5)} ms  (+${(m - base).toFixed(0)} ms over node -e 0)`,
  );
}
const help = median(times.get('pinpipe --help')!);
console.log(`pinpipe --help: ${help.toFixed(0)} ms ${help < 300 ? '≤' : '>'} 300 ms target; node itself: ${base.toFixed(0)} ms`);
