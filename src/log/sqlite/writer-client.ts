import { PinpipeError } from '../../core/errors.js';
import { spawnThread, ThreadCallError, ThreadClient } from '../../core/worker-thread.js';
import type { WriterData, WriterRequest } from './writer-protocol.js';

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

/**
 * The main thread's handle on the writer thread: requests go in order, each answered by a promise.
 * If the thread dies, its calls reject STORE_UNAVAILABLE and the next call starts a new one.
 */
export class WriterClient {
  private readonly thread: ThreadClient<WriterRequest>;

  constructor(data: WriterData) {
    this.thread = new ThreadClient(
      () => spawnThread(import.meta.url, './writer-worker', data),
      (err) => new PinpipeError('STORE_UNAVAILABLE', `The log writer thread stopped: ${err.message}`, { cause: err }),
    );
  }

  /** Start the thread (opening its connection) and wait until it is ready. */
  start(): Promise<void> {
    return this.thread.start();
  }

  /** Run one request in the writer thread; `transfer` lists buffers handed over without a copy. */
  async call<T>(req: WriterRequest, transfer?: ArrayBuffer[]): Promise<T> {
    try {
      return await this.thread.call<T>(req, transfer);
    } catch (err) {
      if (!(err instanceof ThreadCallError)) throw err;
      const e = err.unwrap();
      throw e instanceof PinpipeError ? e : new WriterError(err.code ?? 'ERROR', err.message);
    }
  }

  /** Close the writer's connection and end the thread. */
  close(): Promise<void> {
    return this.thread.close({ op: 'close' });
  }
}
