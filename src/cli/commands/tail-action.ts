import { createLogger } from '../../core/logger.js';
import type { LogRecord } from '../../log/log.js';
import { usageError } from '../fail.js';
import type { GlobalOptions } from '../globals.js';
import { formatCsv, formatOf, type Format } from '../output.js';
import { existingConfigFrom, openRuntime } from '../runtime.js';
import type { TailOptions } from './tail.js';

const COLUMNS = ['topic', 'partition', 'offset', 'timestamp', 'key', 'value'];

/** One record (at `offset`) as the line `tail` prints for it. */
function line(r: LogRecord, offset: number, format: Format, keys: boolean): string {
  switch (format) {
    case 'json': {
      let value: unknown = r.value;
      try {
        value = JSON.parse(r.value);
      } catch {
        // Not JSON: printed as the text it is.
      }
      return `${JSON.stringify({ topic: r.topic, partition: r.partition, offset, timestamp: new Date(r.timestamp).toISOString(), key: r.key, value })}\n`;
    }
    case 'csv':
      return formatCsv({ columns: COLUMNS, rows: [{ ...r, offset, timestamp: new Date(r.timestamp).toISOString() }] }).split('\r\n')[1] + '\r\n';
    default:
      return keys ? `${r.key ?? ''}\t${r.value}\n` : `${r.value}\n`;
  }
}

/** `pinpipe tail`: reads through the Log interface only (any log backend), partitions side by side. */
export async function runTail(topic: string, o: TailOptions, g: GlobalOptions): Promise<void> {
  const format = formatOf(o);
  const config = existingConfigFrom(g);
  const rt = await openRuntime(config, { logger: createLogger(g.verbose ? 'debug' : 'warn') });
  const stop = new AbortController();
  const end = (): void => stop.abort();
  process.once('SIGINT', end);
  process.once('SIGTERM', end);
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') end(); // the reader went away (| head): stop quietly
  });
  try {
    const info = await rt.log.describeTopic(topic);
    if (!info) throw usageError(`no topic or stream named ${topic}: pinpipe topics lists them`);
    if (o.partition !== undefined && o.partition >= info.partitions)
      throw usageError(
        `${topic} has ${info.partitions} partition${info.partitions === 1 ? '' : 's'} (0-${info.partitions - 1}): choose one of them with --partition`,
      );
    const partitions = o.partition === undefined ? [...Array(info.partitions).keys()] : [o.partition];
    if (format === 'csv') process.stdout.write(`${COLUMNS.join(',')}\r\n`);
    let printed = 0;
    const start = o.fromBeginning ? ({ kind: 'earliest' } as const) : ({ kind: 'latest' } as const);
    await Promise.all(
      partitions.map(async (p) => {
        for await (const batch of rt.log.read(topic, p, start, { follow: !o.exit, signal: stop.signal, maxRecords: 500 })) {
          let out = '';
          for (const r of batch) {
            if (o.count !== undefined && printed >= o.count) break;
            out += line(r, rt.log.offsetOf(r.position), format, o.keys === true);
            printed++;
          }
          if (out && !process.stdout.write(out)) await new Promise((ok) => process.stdout.once('drain', ok));
          if (o.count !== undefined && printed >= o.count) stop.abort();
          if (stop.signal.aborted) return;
        }
      }),
    );
  } finally {
    process.off('SIGINT', end);
    process.off('SIGTERM', end);
    await rt.close();
  }
}
