import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parentPort, Worker } from 'node:worker_threads';
import { ERRORS, PinpipeError, type ErrorKind } from './errors.js';

/**
 * Start the worker thread whose entry is `entry` (a module next to the caller, named without its
 * extension). From TypeScript sources (tests, tsx) the thread registers tsx itself, which Node 20
 * does not do for workers: its ESM hooks, or its CommonJS hook when the caller was loaded as
 * CommonJS (no `import.meta.resolve`).
 * @example spawnThread(import.meta.url, './writer-worker', { path })
 */
export function spawnThread(callerUrl: string, entry: string, workerData: unknown): Worker {
  if (!callerUrl.endsWith('.ts')) return new Worker(new URL(`${entry}.js`, callerUrl), { workerData });
  const url = new URL(`${entry}.ts`, callerUrl);
  const code =
    typeof import.meta.resolve === 'function'
      ? `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); })`
      : `require(${JSON.stringify(createRequire(import.meta.url).resolve('tsx/cjs/api'))}).register(); require(${JSON.stringify(fileURLToPath(url))});`;
  return new Worker(code, { eval: true, workerData });
}

/**
 * The buffer to transfer with `view` (handing it over without a copy), or none when the view does
 * not own all of its memory (a slice of Node's shared pool must never be detached).
 */
export function transferOf(view: Uint8Array): ArrayBuffer[] {
  return view.byteOffset === 0 && view.byteLength === view.buffer.byteLength ? [view.buffer as ArrayBuffer] : [];
}

/** What a thread answers to one call (id 0 announces that it is ready). */
export type ThreadReply = { id: number; ok: true; result?: unknown } | { id: number; ok: false; error: { code?: string; message: string; kind?: string } };

/** A call that failed inside the thread, with the code and error kind it reported. */
export class ThreadCallError extends Error {
  constructor(
    readonly code: string | undefined,
    readonly kind: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'ThreadCallError';
  }

  /** The PinpipeError the thread threw, rebuilt on this side; this error itself when it was not one. */
  unwrap(): Error {
    return this.kind !== undefined && this.kind in ERRORS ? new PinpipeError(this.kind as ErrorKind, this.message) : this;
  }
}

/**
 * The thread side: answer each `{ id, req }` with `handle(req)`'s result (its `transfer` list
 * handed over without a copy) or its error (code, kind and message), in arrival order; then
 * run `after(req)` (e.g. close the port after a last request). Announces readiness first.
 */
export function serveThread<Req>(handle: (req: Req) => { result: unknown; transfer?: ArrayBuffer[] }, after?: (req: Req) => void): void {
  const port = parentPort;
  if (!port) throw new Error('this module must run in a worker thread');
  port.on('message', ({ id, req }: { id: number; req: Req }) => {
    let reply: ThreadReply;
    let transfer: ArrayBuffer[] | undefined;
    try {
      const r = handle(req);
      reply = { id, ok: true, result: r.result };
      transfer = r.transfer;
    } catch (err) {
      const e = err as { code?: unknown; message?: string; kind?: unknown };
      reply = {
        id,
        ok: false,
        error: {
          code: typeof e.code === 'string' ? e.code : undefined,
          message: e.message ?? String(err),
          kind: typeof e.kind === 'string' ? e.kind : undefined,
        },
      };
    }
    port.postMessage(reply, transfer ?? []);
    after?.(req);
  });
  port.postMessage({ id: 0, ok: true, result: 'ready' } satisfies ThreadReply);
}

interface Call {
  resolve(result: unknown): void;
  reject(err: unknown): void;
}

/**
 * The caller side of one worker thread: calls go in order, each answered by a promise. The thread
 * is started on the first call (or `start`); if it dies, its calls reject with `onDeath(err)` and
 * the next call starts a new one. The thread only keeps the process alive while calls are pending.
 */
export class ThreadClient<Req> {
  private worker: Worker | undefined;
  private starting: Promise<Worker> | undefined;
  private readonly calls = new Map<number, Call>();
  private nextId = 1;
  private closing = false;

  constructor(
    private readonly spawn: () => Worker,
    private readonly onDeath: (err: Error) => Error,
  ) {}

  /** Calls sent and not yet answered. */
  get pending(): number {
    return this.calls.size;
  }

  /** Start the thread and wait until it is ready. */
  async start(): Promise<void> {
    await this.ready();
  }

  /** Run one request in the thread; `transfer` lists buffers handed over without a copy. */
  call<T>(req: Req, transfer?: readonly ArrayBuffer[]): Promise<T> {
    const worker = this.worker;
    if (!worker) return this.ready().then(() => this.call<T>(req, transfer));
    const id = this.nextId++;
    if (this.calls.size === 0) worker.ref();
    return new Promise<T>((resolve, reject) => {
      this.calls.set(id, { resolve: resolve as (r: unknown) => void, reject });
      worker.postMessage({ id, req }, transfer as ArrayBuffer[] | undefined);
    });
  }

  /** Send `last` (a request after which the thread ends on its own), wait for its answer and for the thread to exit. */
  async close(last?: Req): Promise<void> {
    const worker = this.worker ?? (await this.starting?.catch(() => undefined));
    if (!worker) return;
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    this.closing = true; // keep the thread referenced until it has exited
    if (last === undefined) await worker.terminate();
    else await this.call(last).catch(() => undefined);
    await exited;
  }

  private ready(): Promise<Worker> {
    if (this.starting) return this.starting;
    let worker: Worker;
    try {
      worker = this.spawn();
    } catch (err) {
      return Promise.reject(this.onDeath(err as Error));
    }
    const starting = new Promise<Worker>((resolve, reject) => {
      const fail = (err: unknown): void => {
        if (this.starting !== starting) return; // already handled (error then exit)
        this.worker = undefined;
        this.starting = undefined;
        const error = this.onDeath(err instanceof Error ? err : new Error(String(err)));
        reject(error);
        for (const c of this.calls.values()) c.reject(error);
        this.calls.clear();
      };
      worker.on('message', (m: ThreadReply) => {
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
        else c.reject(new ThreadCallError(m.error.code, m.error.kind, m.error.message));
      });
      worker.on('error', fail);
      worker.on('exit', (code) => fail(new Error(`exit code ${code}`)));
    });
    this.starting = starting;
    return starting;
  }
}
