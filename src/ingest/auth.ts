import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PinpipeError } from '../core/errors.js';
import { isSigV4, parseSigV4, sigV4Problem } from './sigv4.js';

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** A request whose body parser kept the exact bytes it read (for SigV4, which signs them). */
export interface RawBodyRequest {
  rawBody?: Buffer;
}

/** The key a request presents as a bearer token: `Authorization: Bearer <key>` or `X-API-Key: <key>`. */
export function presentedKey(req: FastifyRequest): string | undefined {
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && auth.toLowerCase().startsWith('bearer ')) return auth.slice(7).trim();
  const x = req.headers['x-api-key'];
  if (typeof x === 'string' && x.length > 0) return x;
  return undefined;
}

/** Compare a presented key with every configured key in constant time (per key). */
export function keyMatches(presented: string, keyDigests: readonly Buffer[]): boolean {
  const d = digest(presented);
  let ok = false;
  for (const k of keyDigests) ok = timingSafeEqual(d, k) || ok;
  return ok;
}

/**
 * Require an API key on every route except the ones listed as open (e.g. /health; `/assets/*` opens a whole folder): as a bearer
 * token (`Authorization: Bearer`, `X-API-Key`), checked before the body is read, or as the secret
 * of an AWS SigV4 signature (the SDKs' secret access key; the access key id is not a secret and
 * not checked), verified for real once the body is read — its bytes are part of what is signed.
 */
export function registerAuth(app: FastifyInstance, apiKeys: readonly string[], openPaths: readonly string[] = ['/health'], now: () => number = Date.now): void {
  if (apiKeys.length === 0) return;
  const digests = apiKeys.map(digest);
  const exact = new Set(openPaths.filter((p) => !p.endsWith('*')));
  const folders = openPaths.filter((p) => p.endsWith('/*')).map((p) => p.slice(0, -1));
  const signed = new WeakSet<FastifyRequest>();
  app.addHook('onRequest', async (req) => {
    const path = req.url.split('?')[0];
    if (exact.has(path) || folders.some((f) => path.startsWith(f) && !path.includes('..'))) return;
    const auth = req.headers.authorization;
    if (isSigV4(auth)) {
      if (!parseSigV4(auth)) throw new PinpipeError('SIGNATURE_INVALID', 'The Authorization header is not a well-formed AWS4-HMAC-SHA256 signature.');
      signed.add(req);
      return;
    }
    const key = presentedKey(req);
    if (key === undefined) throw new PinpipeError('UNAUTHORIZED');
    if (!keyMatches(key, digests)) throw new PinpipeError('FORBIDDEN');
  });
  app.addHook('preHandler', async (req) => {
    if (!signed.has(req)) return;
    const raw = (req as RawBodyRequest).rawBody ?? (Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
    const problem = sigV4Problem(
      { method: req.method, url: req.url, headers: req.headers, body: raw },
      parseSigV4(req.headers.authorization!)!,
      apiKeys,
      now(),
    );
    if (problem) throw new PinpipeError('SIGNATURE_INVALID', problem);
  });
}
