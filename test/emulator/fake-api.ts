import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
  body: any; // parsed JSON, read freely by the tests
}

/** How the fake answers one request: a status and body, or undefined for the proxy's normal success. */
export type Answer = (req: Received, i: number) => { status: number; body: unknown } | undefined;

/** Success in the shapes of docs/wire-formats.md §6.1/§6.2: offsets, a SequenceNumber, or PutRecords `Records`. */
export function success(req: Received): { status: number; body: unknown } {
  if (req.path.startsWith('/topics/')) {
    const offsets = (req.body.records as unknown[]).map((_, i) => ({ partition: 0, offset: i, error_code: null, error: null }));
    return { status: 200, body: { key_schema_id: null, value_schema_id: null, offsets } };
  }
  if (req.path.endsWith('/record')) return { status: 200, body: { SequenceNumber: '1', ShardId: 'shardId-000000000000' } };
  const Records = (req.body.records as unknown[]).map((_, i) => ({ SequenceNumber: String(i), ShardId: 'shardId-000000000000' }));
  return { status: 200, body: { FailedRecordCount: 0, Records } };
}

/** A loopback HTTP server that records what the emulator sends and answers like the pinpipe API. */
export async function startFakeApi(answer: Answer = () => undefined, delayMs = 0) {
  const received: Received[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const reply = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const server = createServer(async (req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const r: Received = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, raw, body: JSON.parse(raw) };
    const i = received.push(r) - 1;
    if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
    const a = answer(r, i) ?? success(r);
    inFlight--;
    reply(res, a.status, a.body);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    maxInFlight: () => maxInFlight,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
