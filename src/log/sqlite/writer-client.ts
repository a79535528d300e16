import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { PinpipeError } from '../../core/errors.js';
import type { WriterData, WriterReply, WriterRequest } from './writer-protocol.js';

/** A failure reported by the writer thread, with the SQLite code (e.g. SQLITE_BUSY, SQLITE_CONSTRAINT_UNIQUE). */
export class WriterError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'WriterError';
  }
}

interface Call {
  resolve(result: unknown): void;
  reject(err: unknown): void;
}

/**
 * Start the writer thread. From TypeScript sources (tests, tsx) the thread registers tsx itself,
 * which Node 20 does not do for workers: its ESM hooks, or its CommonJS hook when this module
 * itself was loaded as CommonJS (no `import.meta.resolve`).
 */
function spawn(data: WriterData): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./writer-worker.js', import.meta.url), { workerData: data });
  const entry = new URL('./writer-worker.ts', import.meta.url);
  const code =
    typeof import.meta.resolve === 'function'
      ? `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); })`
      : `require(${JSON.stringify(createRequire(import.meta.url).resolve('tsx/cjs/api'))}).register(); require(${JSON.stringify(fileURLToPath(entry))});`;
  return new Worker(code, { eval: true, workerData: data });
}

/**
 * The main thread's handle on the writer thread: requests go in order, each answered by a promise.
 * If the thread dies, its calls reject STORE_UNAVAILABLE and the next call starts a new one.
 */
export class WriterClient {
  private worker: Worker | undefined;
  private starting: Promise<Worker> | undefined;
  private readonly calls = new Map<number, Call>();
  private nextId = 1;
  private closing = false;

  constructor(private readonly data: WriterData) {}

  /** Start the thread (opening its connection) and wait until it is ready. */
  async start(): Promise<void> {
    await this.ready();
  }

  /** Run one request in the writer thread; `transfer` lists buffers handed over without a copy. */
  call<T>(req: WriterRequest, transfer?: ArrayBuffer[]): Promise<T> {
    const worker = this.worker;
    if (!worker) return this.ready().then(() => this.call<T>(req, transfer));
    const id = this.nextId++;
    if (this.calls.size === 0) worker.ref();
    return new Promise<T>((resolve, reject) => {
      this.calls.set(id, { resolve: resolve as (r: unknown) => void, reject });
      worker.postMessage({ id, req }, transfer);
    });
  }

  /** Close the writer's connection and end the thread. */
  async close(): Promise<void> {
    const worker = this.worker ?? (await this.starting?.catch(() => undefined));
    if (!worker) return;
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    this.closing = true; // keep the thread referenced until it has exited
    await this.call({ op: 'close' }).catch(() => undefined);
    await exited;
  }

  private ready(): Promise<Worker> {
    if (this.starting) return this.starting;
    let worker: Worker;
    try {
      worker = spawn(this.data);
    } catch (err) {
      return Promise.reject(new PinpipeError('STORE_UNAVAILABLE', `Cannot start the log writer thread: ${(err as Error).message}`, { cause: err }));
    }
    const starting = new Promise<Worker>((resolve, reject) => {
      const fail = (err: unknown): void => {
        if (this.starting !== starting) return; // already handled (error then exit)
        this.worker = undefined;
        this.starting = undefined;
        const error = new PinpipeError('STORE_UNAVAILABLE', `The log writer thread stopped: ${(err as Error)?.message ?? String(err)}`, { cause: err });
        reject(error);
        for (const c of this.calls.values()) c.reject(error);
        this.calls.clear();
      };
      worker.on('message', (m: WriterReply) => {
        if (m.id === 0) {
          this.worker = worker;
          worker.unref();
          resolve(worker);
          return;
        }
        const c = this.calls.get(m.id);
        if (!c) return;
        this.calls.delete(m.id);
        if (this.calls.size === 0 && !this.closing) worker.unref();
        if (m.ok) c.resolve(m.result);
        else c.reject(m.kind ? new PinpipeError(m.kind, m.message) : new WriterError(m.code, m.message));
      });
      worker.on('error', fail);
      worker.on('exit', (code) => fail(new Error(`exit code ${code}`)));
    });
    this.starting = starting;
    return starting;
  }
}
