import type { Command } from 'commander';
import { sinkTopicsRegex } from '../../core/config.js';
import { createLogger } from '../../core/logger.js';
import { LakeSink } from '../../lake/sink/lake-sink.js';
import { configFrom, openRuntime, type GlobalOptions } from '../runtime.js';
import { onShutdown } from '../shutdown.js';

/** `pinpipe config`, `pinpipe topics`, `pinpipe sink`, `pinpipe validate`. */
export function registerAdmin(program: Command, globals: () => GlobalOptions): void {
  program
    .command('config')
    .description('print the effective configuration (defaults, pinpipe.config.json, PINPIPE_* and options)')
    .action(() => {
      process.stdout.write(`${JSON.stringify(configFrom(globals()), null, 2)}\n`);
    });

  program
    .command('topics')
    .description('list topics with their partitions and record counts')
    .action(async () => {
      const rt = await openRuntime(configFrom(globals()), { logger: createLogger('warn') });
      for (const t of await rt.log.listTopics()) {
        let n = 0;
        for (let p = 0; p < t.partitions; p++) n += (await rt.log.bounds(t.name, p)).count;
        process.stdout.write(`${t.name}\tpartitions=${t.partitions}\trecords=${n}\n`);
      }
      await rt.close();
    });

  program
    .command('sink')
    .description('run only the lake sink (log → lake objects) until stopped')
    .action(async () => {
      const config = configFrom(globals());
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
    });

  program
    .command('validate')
    .description('check the configuration, the log and the lake, and report')
    .action(async () => {
      const checks: { check: string; ok: boolean; detail: string }[] = [];
      try {
        const config = configFrom(globals());
        checks.push({ check: 'config', ok: true, detail: `prefix ${config.prefix}, data dir ${config.dataDir}` });
        const rt = await openRuntime(config, { logger: createLogger('warn') });
        const topics = await rt.log.listTopics();
        checks.push({ check: 'log', ok: true, detail: `${topics.length} topics` });
        const probe = `_pinpipe_validate/${process.pid}`;
        await rt.lake.put(probe, 'ok');
        await rt.lake.delete(probe);
        checks.push({ check: 'lake', ok: true, detail: `writable at ${rt.lake.url}` });
        await rt.close();
      } catch (err) {
        checks.push({ check: 'error', ok: false, detail: (err as Error).message });
      }
      for (const c of checks) process.stdout.write(`${c.ok ? 'ok  ' : 'FAIL'}  ${c.check.padEnd(8)} ${c.detail}\n`);
      process.exit(checks.every((c) => c.ok) ? 0 : 1);
    });
}
