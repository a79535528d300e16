import { existsSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { PinpipeError } from '../core/errors.js';

/** Paths the dashboard serves without an API key: the page itself asks for one when the API wants it. */
export const DASHBOARD_OPEN_PATHS: readonly string[] = ['/', '/index.html', '/favicon.svg', '/assets/*'];

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

/** The page may load only its own files and talk only to its own API. */
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * Where the built page is: `public/` beside this module in the package (`dist/dashboard/public`),
 * or the build output when running from source.
 */
export function dashboardDir(): string | undefined {
  const here = fileURLToPath(new URL('.', import.meta.url));
  for (const dir of [join(here, 'public'), join(here, '..', '..', 'dist', 'dashboard', 'public')]) if (existsSync(join(dir, 'index.html'))) return dir;
  return undefined;
}

/** Serve the dashboard: `/` (the page, never cached) and `/assets/<file>` (content-hashed names, cached for good). */
export function registerPageRoutes(app: FastifyInstance, dir = dashboardDir()): void {
  const files = new Map<string, Buffer | undefined>();
  /** A file of the build (`sub` '' for the page and the icon, 'assets' for the rest), read once. */
  const load = (sub: '' | 'assets', name: string): Buffer | undefined => {
    if (!dir || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) return undefined;
    const path = join(dir, sub, name);
    // Assets have content-hashed names, so what was read once stays right; the page is read each time (a rebuild renames its assets).
    if (sub === '') return existsSync(path) ? readFileSync(path) : undefined;
    if (!files.has(path)) files.set(path, existsSync(path) ? readFileSync(path) : undefined);
    return files.get(path);
  };
  const page = async (_req: unknown, reply: FastifyReply) => {
    const html = load('', 'index.html');
    if (!html) throw new PinpipeError('DASHBOARD_NOT_BUILT');
    return reply
      .type(TYPES['.html'])
      .header('cache-control', 'no-cache')
      .header('content-security-policy', CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .send(html);
  };
  app.get('/', page);
  app.get('/index.html', page);
  app.get('/favicon.svg', async (_req, reply) => {
    const svg = load('', 'favicon.svg');
    if (!svg) throw new PinpipeError('NOT_FOUND');
    return reply.type(TYPES['.svg']).header('cache-control', 'max-age=86400').send(svg);
  });
  app.get<{ Params: { file: string } }>('/assets/:file', async (req, reply) => {
    const body = load('assets', req.params.file);
    if (!body) throw new PinpipeError('NOT_FOUND');
    return reply
      .type(TYPES[extname(req.params.file)] ?? 'application/octet-stream')
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('x-content-type-options', 'nosniff')
      .send(body);
  });
}
