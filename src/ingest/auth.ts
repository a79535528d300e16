import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PinpipeError } from '../core/errors.js';

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** The key a request presents: `Authorization: Bearer <key>` or `X-API-Key: <key>`. */
export function presentedKey(req: FastifyRequest): string | undefined {
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && auth.toLowerCase().startsWith('bearer ')) return auth.slice(7).trim();
  const x = req.headers['x-api-key'];
  if (typeof x === 'string' && x.length > 0) return x;
  // AWS SigV4 (Kinesis API): the access key id is the API key.
  if (typeof auth === 'string' && auth.startsWith('AWS4-HMAC-SHA256')) {
    const m = /Credential=([^/,\s]+)\//.exec(auth);
    if (m) return m[1];
  }
  return undefined;
}

/** Compare a presented key with every configured key in constant time (per key). */
export function keyMatches(presented: string, keyDigests: readonly Buffer[]): boolean {
  const d = digest(presented);
  let ok = false;
  for (const k of keyDigests) ok = timingSafeEqual(d, k) || ok;
  return ok;
}

/** Require an API key on every route except the ones listed as open (e.g. /health; `/assets/*` opens a whole folder). */
export function registerAuth(app: FastifyInstance, apiKeys: readonly string[], openPaths: readonly string[] = ['/health']): void {
  if (apiKeys.length === 0) return;
  const digests = apiKeys.map(digest);
  const exact = new Set(openPaths.filter((p) => !p.endsWith('*')));
  const folders = openPaths.filter((p) => p.endsWith('/*')).map((p) => p.slice(0, -1));
  app.addHook('onRequest', async (req) => {
    const path = req.url.split('?')[0];
    if (exact.has(path) || folders.some((f) => path.startsWith(f) && !path.includes('..'))) return;
    const key = presentedKey(req);
    if (key === undefined) throw new PinpipeError('UNAUTHORIZED');
    if (!keyMatches(key, digests)) throw new PinpipeError('FORBIDDEN');
  });
}
