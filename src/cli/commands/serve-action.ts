import { buildApp, listen } from '../../ingest/app.js';
import { describeLogUrl, logUrls } from '../../log/index.js';
import type { GlobalOptions } from '../globals.js';
import { configFrom, openRuntime } from '../runtime.js';
import { onShutdown } from '../shutdown.js';
import type { ServeOptions } from './serve.js';

/** `pinpipe serve`: the API on the configured logs, until stopped. */
export async function runServe(o: ServeOptions, g: GlobalOptions): Promise<void> {
  const api: Record<string, unknown> = {};
  if (o.port !== undefined) api.port = o.port;
  if (o.host !== undefined) api.host = o.host;
  const config = configFrom(g, { api });
  const rt = await openRuntime(config);
  const app = await buildApp({ config, log: rt.log, streams: rt.streams, logger: rt.logger });
  const url = await listen(app, config, rt.logger);
  const urls = logUrls(config);
  process.stdout.write(`pinpipe API on ${url}: topics on ${describeLogUrl(urls.log)}, streams on ${describeLogUrl(urls.streams)}. Stop with Ctrl-C.\n`);
  onShutdown(rt.logger, async () => {
    await app.close();
    await rt.close();
  });
}
