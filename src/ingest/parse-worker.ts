/** A parse thread of the produce API: turns produce bodies into the log's columns off the event loop (see ProduceParser). */
import { serveThread } from '../core/worker-thread.js';
import { encodeValues, parseProduceBody } from './produce-body.js';
import type { ParseRequest } from './produce-parser.js';

serveThread<ParseRequest>((req) => {
  const parsed = parseProduceBody(Buffer.from(req.body.buffer, req.body.byteOffset, req.body.byteLength).toString('utf8'), req.pathPartition, req.limits);
  return { result: parsed, transfer: encodeValues(parsed) };
});
