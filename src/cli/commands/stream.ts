import type { Command } from 'commander';
import { streamNames } from '../../core/config.js';
import { StreamJob, streamTableKeys } from '../../jobs/stream/index.js';
import { configFrom, lakeDir, openRuntime, type GlobalOptions, type Runtime } from '../runtime.js';
import { onShutdown } from '../shutdown.js';

/** The stream job on a runtime's log and lake, started; undefined when `wanted` is false or `stream.enabled` is off. */
export async function startStreamJob(rt: Runtime, wanted = true): Promise<StreamJob | undefined> {
  if (!wanted || !rt.config.stream.enabled) return undefined;
  const job = new StreamJob({ log: rt.log, store: rt.lake, prefix: rt.config.prefix, config: rt.config.stream, logger: rt.logger.child({ component: 'stream' }) });
  await job.start();
  return job;
}

/** The line `pinpipe up` and `pinpipe stream` print about the stream job. */
export function streamJobLine(rt: Runtime, job: StreamJob | undefined): string {
  const s = streamNames(rt.config.prefix);
  const t = streamTableKeys(rt.config.prefix);
  return job
    ? `  stream job   ${s.pin}|geo|user → ${lakeDir(rt.config)}/${t.pin.replace('_pin_', '_*_')} (every ≥${rt.config.stream.minIntervalMs} ms)`
    : '  stream job   off';
}

/** `pinpipe stream`: run only the stream job (streams → Delta tables), without the API. */
export function registerStream(program: Command, globals: () => GlobalOptions): void {
  program
    .command('stream')
    .description('run only the stream job: streaming-<prefix>-pin|geo|user → <prefix>_*_table Delta tables, until stopped')
    .option('--until-caught-up', 'process what the streams hold now, commit, and exit')
    .action(async (o: { untilCaughtUp?: boolean }) => {
      // Asked for by name: runs even when stream.enabled (which is about `pinpipe up`) is off.
      const config = configFrom(globals(), { stream: { enabled: true } });
      const rt = await openRuntime(config);
      const job = (await startStreamJob(rt))!;
      process.stdout.write(`${streamJobLine(rt, job)}\n`);
      if (o.untilCaughtUp) {
        await job.caughtUp(Number.MAX_SAFE_INTEGER);
        await job.stop();
        await rt.close();
        process.stdout.write(`${JSON.stringify(job.health())}\n`);
        return;
      }
      process.stdout.write('Stop with Ctrl-C.\n');
      onShutdown(rt.logger, async () => {
        await job.stop();
        await rt.close();
      });
    });
}
