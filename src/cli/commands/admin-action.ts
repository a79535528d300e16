import { sinkTopicsRegex } from '../../core/config.js';
import { createLogger } from '../../core/logger.js';
import { LakeSink } from '../../lake/sink/lake-sink.js';
import type { GlobalOptions } from '../globals.js';
import { formatOf, printRows, printValue } from '../output.js';
import { LocalObjectStore } from '../../lake/local/local-store.js';
import { describeLogUrl, logUrls, openLogUrl } from '../../log/index.js';
import { configFrom, existingConfigFrom, lakeDir, openRuntime } from '../runtime.js';
import { onShutdown } from '../shutdown.js';
import type { FormatOptions } from './admin.js';

/** `pinpipe config`: the effective configuration (JSON either way; it is nested). */
export function runConfig(o: FormatOptions, g: GlobalOptions): void {
  const config = configFrom(g);
  printValue(config, formatOf(o), () => `${JSON.stringify(config, null, 2)}\n`);
}

/** `pinpipe topics`: one row per topic. */
export async function runTopics(o: FormatOptions, g: GlobalOptions): Promise<void> {
  const format = formatOf(o);
  const rt = await openRuntime(existingConfigFrom(g), { logger: createLogger('warn') });
  try {
    const rows: Record<string, unknown>[] = [];
    for (const t of await rt.log.listTopics()) {
      let records = 0;
      for (let p = 0; p < t.partitions; p++) {
        const { start, end } = await rt.log.offsets(t.name, p);
        records += end - start;
      }
      rows.push({ topic: t.name, partitions: t.partitions, records, created_at: new Date(t.createdAt).toISOString() });
    }
    printRows({ columns: ['topic', 'partitions', 'records', 'created_at'], rows }, format);
  } finally {
    await rt.close();
  }
}

/** `pinpipe sink`: the lake sink alone, until stopped. */
export async function runSink(g: GlobalOptions): Promise<void> {
  const config = existingConfigFrom(g);
  const rt = await openRuntime(config);
  const sink = new LakeSink({
    log: rt.log,
    store: rt.lake,
    topicsRegex: sinkTopicsRegex(config),
    flushSize: config.sink.flushSize,
    rotateIntervalMs: config.sink.rotateIntervalMs,
    topicScanIntervalMs: config.sink.topicScanIntervalMs,
    logger: rt.logger.child({ component: 'sink' }),
  });
  await sink.start();
  onShutdown(rt.logger, async () => {
    await sink.stop();
    await rt.close();
  });
}

/** `pinpipe validate`: check the configuration, the log and the lake; exit 1 when a check fails. */
export async function runValidate(g: GlobalOptions): Promise<void> {
  const checks: { check: string; ok: boolean; detail: string }[] = [];
  const config = existingConfigFrom(g);
  try {
    checks.push({ check: 'config', ok: true, detail: `prefix ${config.prefix}, data dir ${config.dataDir}` });
    const urls = logUrls(config);
    const logs =
      urls.streams === urls.log
        ? [['log', urls.log]]
        : [
            ['log', urls.log],
            ['streams', urls.streams],
          ];
    for (const [check, url] of logs) {
      try {
        const log = await openLogUrl(url, config.log, config.streams);
        try {
          const topics = await log.listTopics();
          checks.push({ check, ok: true, detail: `${describeLogUrl(url)}: reachable, ${topics.length} ${check === 'streams' ? 'streams' : 'topics'}` });
        } finally {
          await log.close();
        }
      } catch (err) {
        checks.push({ check, ok: false, detail: `${url}: ${(err as Error).message}` });
      }
    }
    const lake = new LocalObjectStore(lakeDir(config));
    const probe = `_pinpipe_validate/${process.pid}`;
    await lake.put(probe, 'ok');
    await lake.delete(probe);
    checks.push({ check: 'lake', ok: true, detail: `writable at ${lake.url}` });
  } catch (err) {
    checks.push({ check: 'error', ok: false, detail: (err as Error).message });
  }
  for (const c of checks) process.stdout.write(`${c.ok ? 'ok  ' : 'FAIL'}  ${c.check.padEnd(8)} ${c.detail}\n`);
  process.exitCode = checks.every((c) => c.ok) ? 0 : 1;
}
