import { writeFileSync } from 'node:fs';
import { createLogger } from '../../core/logger.js';
import { airflowDagFile, shellQuote } from '../../scheduler/airflow-export.js';
import { builtinDags } from '../dags.js';
import type { GlobalOptions } from '../globals.js';
import { configFrom } from '../runtime.js';
import { globalArgs, selfCommand } from '../self-command.js';

/** `pinpipe dag export-airflow`: the built-in DAG as an Airflow 3 DAG file whose tasks run this pinpipe. */
export function exportAirflow(o: { out?: string; pinpipeCommand?: string }, g: GlobalOptions): void {
  const config = configFrom(g);
  const [d] = builtinDags(config, createLogger('silent'));
  // The global options always go along: the tasks read the data dir, prefix and config it was exported with.
  const command = o.pinpipeCommand ?? selfCommand().map(shellQuote).join(' ');
  const pinpipe = [command, ...globalArgs(g, config.dataDir, config.prefix).map(shellQuote)].join(' ');
  const text = airflowDagFile(d, { pinpipe, exportedAt: new Date() });
  if (o.out) {
    writeFileSync(o.out, text);
    process.stderr.write(`wrote ${o.out} (Airflow 3 DAG ${d.id})\n`);
  } else process.stdout.write(text);
}
