import { PinpipeError } from '../core/errors.js';
import { spawnThread, ThreadCallError, ThreadClient, transferOf } from '../core/worker-thread.js';
import { parseProduceBody, type ParsedProduce, type ProduceLimits } from './produce-body.js';

/** One body for a parse thread. */
export interface ParseRequest {
  body: Uint8Array;
  pathPartition: number | undefined;
  limits: ProduceLimits;
}

export interface ProduceParserOptions {
  /** Parse threads (0: parse every body on the event loop). */
  threads: number;
  /** Bodies smaller than this are parsed on the event loop: the hop to a thread costs more than it saves. */
  inlineBelowBytes: number;
  limits: ProduceLimits;
}

/**
 * Decodes and parses produce bodies. Large bodies go to a small pool of parse threads (the one
 * with the fewest bodies in hand), so the event loop only routes requests and assigns offsets:
 * decoding, JSON.parse and finding each value's bytes are most of the CPU of a 500-record POST.
 * A thread that dies fails the bodies it held (500, retryable by the client) and is replaced on
 * the next call.
 */
export class ProduceParser {
  private readonly threads: ThreadClient<ParseRequest>[] = [];

  constructor(private readonly opts: ProduceParserOptions) {
    for (let i = 0; i < opts.threads; i++) {
      this.threads.push(
        new ThreadClient(
          () => spawnThread(import.meta.url, './parse-worker', undefined),
          (err) => new PinpipeError('INTERNAL', `A produce parse thread stopped: ${err.message}`, { cause: err }),
        ),
      );
    }
  }

  /** The body's records (see parseProduceBody); request-level problems reject with their PinpipeError. */
  async parse(body: Buffer, pathPartition: number | undefined): Promise<ParsedProduce> {
    const limits = this.opts.limits;
    if (this.threads.length === 0 || body.length < this.opts.inlineBelowBytes) return parseProduceBody(body, pathPartition, limits);
    let thread = this.threads[0];
    for (const t of this.threads) if (t.pending < thread.pending) thread = t;
    try {
      // Fastify concatenates a large body into a fresh buffer: it is handed over, not copied.
      return await thread.call<ParsedProduce>({ body, pathPartition, limits }, transferOf(body));
    } catch (err) {
      throw err instanceof ThreadCallError ? err.unwrap() : err;
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.close()));
  }
}
