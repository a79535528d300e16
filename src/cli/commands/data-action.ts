import { generateFiles, runEmulator } from '../../emulator/index.js';
import { createLogger } from '../../core/logger.js';
import { PinpipeError } from '../../core/errors.js';
import { fromSystemError } from '../fail.js';
import type { GlobalOptions } from '../globals.js';
import { plural } from '../output.js';
import { progress } from '../progress.js';
import { configFrom } from '../runtime.js';
import { onShutdown } from '../shutdown.js';
import type { EmulateOptions, GenerateOptions } from './data.js';

/** `pinpipe generate`: a progress bar on a terminal; Ctrl-C removes the partial files. */
export async function runGenerate(o: GenerateOptions): Promise<void> {
  const bar = progress({ label: 'generating', total: o.rows, unit: 'rows' });
  const abort = new AbortController();
  const interrupted = (): void => abort.abort(new PinpipeError('CLOSED', 'interrupted: no files were written'));
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  const t0 = performance.now();
  try {
    const r = await generateFiles({ rows: o.rows, seed: o.seed, outDir: o.out, onProgress: (n) => bar.update(n), signal: abort.signal });
    bar.done();
    process.stdout.write(`${JSON.stringify({ ...r, outDir: o.out, seconds: +((performance.now() - t0) / 1000).toFixed(2) })}\n`);
  } catch (err) {
    bar.done();
    if (abort.signal.aborted) {
      process.stderr.write(`interrupted: the partial files were removed\n`);
      process.exit(130);
    }
    throw fromSystemError(err) ?? err;
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
  }
}

/** Fail with NOT_REACHABLE unless something answers HTTP at `url`. */
async function reachable(url: string): Promise<void> {
  try {
    await (await fetch(url, { signal: AbortSignal.timeout(5000) })).arrayBuffer();
  } catch (err) {
    const c = (err as { cause?: { code?: string; message?: string } }).cause;
    const cause = c?.code ?? c?.message ?? (err as Error).message;
    throw new PinpipeError('NOT_REACHABLE', `nothing answers at ${url} (${cause}): start it with pinpipe up, or pass the right --url`, { cause: err });
  }
}

/** `pinpipe emulate`: prints the totals as JSON; exits 1 when records failed. */
export async function runEmulate(o: EmulateOptions, g: GlobalOptions): Promise<void> {
  const config = configFrom(g);
  const logger = createLogger(config.logLevel);
  const url = o.url.replace(/\/+$/, '');
  await reachable(url);
  const abort = new AbortController();
  onShutdown(logger, async () => abort.abort());
  const result = await runEmulator({
    url,
    prefix: config.prefix,
    rows: o.rows ?? config.emulator.rows,
    seed: o.seed ?? config.emulator.seed,
    ratePerSec: o.rate,
    noSleep: o.sleep === false,
    batchSize: o.batchSize,
    concurrency: o.concurrency,
    iterations: o.iterations,
    durationMs: o.duration === undefined ? undefined : o.duration * 1000,
    mode: o.mode,
    apiKey: o.apiKey ?? config.api.apiKeys[0],
    signal: abort.signal,
    logger,
  });
  process.stdout.write(`${JSON.stringify(result)}\n`);
  const failed = Object.entries(result.errors).filter(([why]) => why !== 'aborted');
  if (failed.length > 0) {
    const n = failed.reduce((a, [, k]) => a + k, 0);
    const why = failed.map(([k, v]) => `${k} ${v}`).join(', ');
    const hint = failed.some(([k]) => k === '401' || k === '403') ? 'pass the right --api-key' : 'see the API log of pinpipe up';
    process.stderr.write(`error: ${plural(n, 'record')} of ${result.recordsSent.toLocaleString('en-US')} failed (${why}): ${hint}\n`);
    process.exitCode = 1;
  }
  process.exit();
}
