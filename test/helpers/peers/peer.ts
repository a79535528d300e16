import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Real peers (Kafka, moto, MariaDB, Spark, Airflow, Chromium…) are optional on a developer's
 * machine and required in CI: without `PINPIPE_REQUIRE_PEERS=1` a missing peer skips its tests
 * with this message; with it, the test fails.
 * @example describe('on Kafka', { skip: kafka ? false : peerMissing('a Kafka broker') }, …)
 */
export function peerMissing(what: string, why = ''): string {
  const detail = why ? `: ${why}` : '';
  if (process.env.PINPIPE_REQUIRE_PEERS === '1') throw new Error(`${what} is required (PINPIPE_REQUIRE_PEERS=1) but missing${detail}`);
  return `${what} not available${detail}`;
}

/** Where peers keep what they download once (venvs, jars): `$PINPIPE_CACHE_DIR` or `~/.cache/pinpipe`, outside the repository. */
export function peerCacheDir(...sub: string[]): string {
  return join(process.env.PINPIPE_CACHE_DIR ?? join(homedir(), '.cache', 'pinpipe'), ...sub);
}

/** A TCP port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Poll `check` until it returns a value other than undefined/false, or fail after `timeoutMs` naming `what`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  opts: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await sleep(opts.intervalMs ?? 200);
  }
}
