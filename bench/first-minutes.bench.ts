// npm run bench:first-minutes — the first five minutes of a newcomer, timed: from `npm start`
// (`pinpipe up --emulate` from the built package, on a fresh data dir) until the dashboard draws
// result charts in Chromium and `pinpipe query popular_category_by_country` prints rows, with the
// milestones in between (banner, first lake objects, each DAG run and its tasks). The target is
// under 60 s. Baseline measured in the same run: a Node process start (`node -e 0`) and
// `pinpipe --version`, before and after each run, and the load average, since every DAG task is
// a process start too. The browser is launched before the clock starts (a user's browser is
// already open). Options (environment): BENCH_RUNS (default 2), BENCH_TIMEOUT_S (default 300).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium, type BrowserContext } from 'playwright-core';
import type { RunInfo } from '../src/scheduler/index.js';
import { table } from './lib.js';

const MAIN = 'dist/cli/main.js';
const CHROMIUM = '/usr/bin/chromium';
const RESULT = 'popular_category_by_country';
const RUNS = Number(process.env.BENCH_RUNS ?? 2);
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_S ?? 300) * 1000;
if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first`);

const MILESTONES = [
  'banner printed',
  'first lake object',
  'first DAG run ended',
  'results in the API',
  'dashboard draws the charts',
  'query prints rows',
] as const;
type Milestone = (typeof MILESTONES)[number];

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const s = (ms: number | undefined): string => (ms === undefined ? '—' : `${(ms / 1000).toFixed(1)} s`);
const load = (): string =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' / ');

/** Median wall time of a few `node <args>` processes. */
function nodeStart(args: string[], n = 5): number {
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, args, { stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${r.status}`);
    xs.push(performance.now() - t);
  }
  return median(xs);
}

/** Run `pinpipe <args>` from the build; resolves with its exit code and stdout. */
function pinpipe(args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
    let stdout = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.on('close', (code) => resolve({ code, stdout }));
  });
}

const hasObject = (topics: string): boolean => {
  try {
    return readdirSync(topics, { recursive: true }).some((f) => String(f).endsWith('.json'));
  } catch {
    return false;
  }
};

async function getJson<T>(url: string): Promise<T | undefined> {
  try {
    const res = await fetch(url);
    return res.ok ? ((await res.json()) as T) : undefined;
  } catch {
    return undefined;
  }
}

interface RunResult {
  at: Partial<Record<Milestone, number>>;
  runs: RunInfo[];
  t0: number;
  loadBefore: string;
  loadAfter: string;
  nodeBefore: number;
  nodeAfter: number;
  versionBefore: number;
}

async function once(browser: BrowserContext | undefined): Promise<RunResult> {
  const nodeBefore = nodeStart(['-e', '0']);
  const versionBefore = nodeStart([MAIN, '--version']);
  const loadBefore = load();
  const dir = mkdtempSync(join(tmpdir(), 'pinpipe-first-minutes-'));
  const data = join(dir, 'data');
  const at: Partial<Record<Milestone, number>> = {};
  const t0 = Date.now();
  const mark = (m: Milestone): void => void (at[m] ??= Date.now() - t0);
  // What `npm start` runs, on a fresh data dir and a free port.
  const up = spawn(process.execPath, [MAIN, '--data-dir', data, 'up', '--emulate', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  up.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    up.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /dashboard\s+(http:\/\/\S+?)\/?\s/.exec(out);
      if (m && out.includes('Stop with Ctrl-C')) resolve(m[1]);
    });
    up.on('exit', (c) => reject(new Error(`pinpipe up exited with ${c}:\n${out}`)));
  });
  mark('banner printed');
  const page = await browser?.newPage();
  const drawn = page
    ?.goto(`${url}/`)
    .then(() =>
      page.waitForFunction((id) => document.querySelector(`[data-result="${id}"] .chart svg text`) !== null, RESULT, { timeout: TIMEOUT_MS, polling: 250 }),
    )
    .then(() => mark('dashboard draws the charts'))
    .catch(() => undefined); // not drawn in time: left unmarked
  let runs: RunInfo[] = [];
  let querying: Promise<void> | undefined;
  try {
    while (Date.now() - t0 < TIMEOUT_MS && (at['query prints rows'] === undefined || (page && at['dashboard draws the charts'] === undefined))) {
      if (hasObject(join(data, 'lake', 'topics'))) mark('first lake object');
      runs = (await getJson<{ runs: RunInfo[] }>(`${url}/api/dag/runs?limit=100`))?.runs ?? runs;
      if (runs.some((r) => r.endDate !== null)) mark('first DAG run ended');
      const result = await getJson<{ rows: unknown[] }>(`${url}/api/results/${RESULT}`);
      if (result && result.rows.length > 0) mark('results in the API');
      // The query can only have rows once the result table has them: start asking then, one process at a time.
      if (at['results in the API'] !== undefined && !querying)
        querying = pinpipe(['--data-dir', data, 'query', RESULT, '--format', 'json']).then((q) => {
          if (q.code === 0 && (JSON.parse(q.stdout) as unknown[]).length > 0) mark('query prints rows');
          querying = undefined;
        });
      await sleep(250);
    }
    await querying;
    await Promise.race([drawn, sleep(1000)]);
  } finally {
    await page?.close();
    up.kill('SIGTERM');
    await new Promise((r) => up.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    at,
    runs: runs.sort((a, b) => a.queuedAt - b.queuedAt),
    t0,
    loadBefore,
    loadAfter: load(),
    nodeBefore,
    nodeAfter: nodeStart(['-e', '0']),
    versionBefore,
  };
}

/** Each DAG run until the first results, relative to the start: queued, started, ended, and every task's span. */
function printRuns(r: RunResult): void {
  const rel = (t: number | null): string => (t === null ? '—' : s(t - r.t0));
  const until = r.t0 + (r.at['results in the API'] ?? Infinity);
  const rows = r.runs
    .filter((run) => run.queuedAt <= until)
    .map((run) => [
      run.runId.replace(/\+00:00$/, ''),
      run.state,
      rel(run.queuedAt),
      rel(run.startDate),
      rel(run.endDate),
      run.tasks
        .map((t) => {
          const a = t.attempts[0];
          const end = t.attempts.at(-1)?.endDate ?? null;
          return a ? `${t.taskId} ${rel(a.startDate)}→${rel(end)}` : `${t.taskId} —`;
        })
        .join(', '),
    ]);
  table(['run', 'state', 'queued', 'started', 'ended', 'tasks (started → ended)'], rows);
}

const browser =
  existsSync(CHROMIUM) && process.env.BENCH_NO_BROWSER === undefined
    ? await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'pinpipe-chromium-')), {
        executablePath: CHROMIUM,
        headless: true,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
      })
    : undefined;
if (!browser) console.log(`no Chromium at ${CHROMIUM}: the dashboard milestone is not measured`);
const results: RunResult[] = [];
try {
  for (let i = 0; i < RUNS; i++) {
    const r = await once(browser);
    results.push(r);
    console.log(`\nrun ${i + 1}: load average ${r.loadBefore} before, ${r.loadAfter} after (2 cores); DAG runs until the first results, seconds from start:`);
    printRuns(r);
  }
} finally {
  await browser?.close();
}

console.log(`\nFrom npm start (pinpipe up --emulate, built package, fresh data dir) to …, ${RUNS} run(s):\n`);
table(
  ['milestone', ...results.map((_, i) => `run ${i + 1}`), 'median'],
  MILESTONES.map((m) => {
    const xs = results.map((r) => r.at[m]);
    const known = xs.filter((x): x is number => x !== undefined);
    return [m, ...xs.map(s), known.length === xs.length ? s(median(known)) : '—'];
  }),
);
console.log(
  `\nbaseline, same run: node -e 0 ${results.map((r) => `${s(r.nodeBefore)} / ${s(r.nodeAfter)}`).join(', ')} (before / after each run); pinpipe --version ${results.map((r) => s(r.versionBefore)).join(', ')}`,
);
const worst = Math.max(...results.map((r) => Math.max(r.at['dashboard draws the charts'] ?? (browser ? Infinity : 0), r.at['query prints rows'] ?? Infinity)));
console.log(`target: charts and query rows within 60 s — ${worst <= 60_000 ? 'met' : 'missed'} (slowest run ${s(Number.isFinite(worst) ? worst : undefined)})`);
