/** A parse thread of the produce API: turns produce bodies into the log's columns off the event loop (see ProduceParser). */
import { serveThread, transferOf } from '../core/worker-thread.js';
import { parseProduceBody } from './produce-body.js';
import type { ParseRequest } from './produce-parser.js';

serveThread<ParseRequest>((req) => {
  const parsed = parseProduceBody(req.body, req.pathPartition, req.limits);
  // The values are mostly the body's own bytes: hand the body back rather than copy it.
  return { result: parsed, transfer: transferOf(parsed.bytes) };
});
