import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { peerCacheDir } from './peer.js';
import { pythonVenv, type PythonVenv } from './python-venv.js';

const PEER = fileURLToPath(new URL('./spark_peer.py', import.meta.url));

const live = new Set<ChildProcess>();
let hooked = false;
function killLeftovers(): void {
  for (const p of live) if (p.pid !== undefined) process.kill(-p.pid, 'SIGKILL');
}

/** Where Spark's Ivy resolver keeps the Delta jars it fetches from Maven: the peer cache, never the repository. */
export function sparkIvyDir(): string {
  return peerCacheDir('ivy');
}

/** The Delta jars cached by an earlier Spark start (see spark_peer.py), or undefined before the first one. */
export function cachedDeltaJars(): string[] | undefined {
  if (!existsSync(sparkIvyDir())) return undefined;
  for (const d of readdirSync(sparkIvyDir()).filter((n) => n.startsWith('delta-'))) {
    const dir = join(sparkIvyDir(), d);
    if (existsSync(join(dir, '.complete')))
      return readdirSync(join(dir, 'jars'))
        .filter((f) => f.endsWith('.jar'))
        .map((f) => join(dir, 'jars', f));
  }
  return undefined;
}

/** The environment a Spark process of the tests runs in: UTC, jars in the peer cache, quiet. */
export function sparkEnv(venv: PythonVenv): NodeJS.ProcessEnv {
  return { ...process.env, TZ: 'UTC', PINPIPE_SPARK_IVY: sparkIvyDir(), PYSPARK_PYTHON: venv.python, SPARK_LOCAL_IP: '127.0.0.1' };
}

/** The `spark` venv (pyspark, delta-spark, deltalake), or why it is missing. */
export async function sparkVenv(): Promise<{ ok: true; venv: PythonVenv } | { ok: false; error: string }> {
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (java.status !== 0) return { ok: false, error: 'java is not installed (Spark needs Java 17+)' };
  return pythonVenv('spark');
}

/**
 * One long-lived Python process holding a local Spark session (with Delta) and delta-rs, for a
 * whole test file: starting the JVM costs tens of seconds, so a file starts it once. `run` sends
 * Python code that sets `result` (see spark_peer.py for what is in scope).
 * @example const peer = await SparkPeer.start(venv); const t = await peer.run('result = rs_read(args)', dir); await peer.stop();
 */
export class SparkPeer {
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private stderrTail = '';

  private constructor(child: ChildProcess) {
    this.child = child;
    const replies = createInterface({ input: child.stdio[3] as Readable });
    replies.on('line', (line) => {
      const msg = JSON.parse(line) as { id: number; ok: boolean; result?: unknown; error?: string; trace?: string };
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.result);
      else p.reject(new Error(`${msg.error}\n${msg.trace ?? ''}`));
    });
    const keep = (chunk: Buffer): void => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-8000);
      if (process.env.PINPIPE_SPARK_VERBOSE === '1') process.stderr.write(chunk);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    child.on('exit', (code) => {
      for (const p of this.pending.values()) p.reject(new Error(`the Spark peer exited (${code}): ${this.stderrTail.slice(-3000)}`));
      this.pending.clear();
    });
  }

  /** Start the peer process (Spark itself starts on the first `spark()` call). */
  static start(venv: PythonVenv): SparkPeer {
    // Its own process group, so that a test process that dies takes Python and the JVM with it.
    const child = spawn(venv.python, [PEER], { env: sparkEnv(venv), stdio: ['pipe', 'pipe', 'pipe', 'pipe'], detached: true });
    live.add(child);
    child.once('exit', () => live.delete(child));
    if (!hooked) {
      hooked = true;
      process.once('exit', killLeftovers);
    }
    return new SparkPeer(child);
  }

  /** Run Python code in the peer; resolves with its `result` (JSON-safe, see `plain`). `args` is in scope as `args`. */
  run<T = unknown>(code: string, args?: unknown): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.stdin!.write(`${JSON.stringify({ id, code, args })}\n`);
    });
  }

  /** Stop Spark and the process (waits for it to exit; kills it after 30 s). */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.stdin!.end();
    const timer = setTimeout(() => process.kill(-this.child.pid!, 'SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  }
}
