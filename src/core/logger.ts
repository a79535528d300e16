import { pino, type Logger } from 'pino';
import { prettyLogStream } from './pretty-log.js';

export type { Logger };

/** How log lines look: `pretty` (human, colour when the terminal has it) or `json` (one object per line). */
export type LogFormat = 'pretty' | 'json';

/** `PINPIPE_LOG_FORMAT` when set, else pretty on a terminal and JSON when stderr is piped or redirected. */
export function logFormat(env: NodeJS.ProcessEnv = process.env, stream: NodeJS.WriteStream = process.stderr): LogFormat {
  const asked = env.PINPIPE_LOG_FORMAT;
  if (asked === 'pretty' || asked === 'json') return asked;
  return stream.isTTY ? 'pretty' : 'json';
}

/** The process logger on stderr, with ISO timestamps: pretty lines on a terminal, JSON lines otherwise; level from PINPIPE_LOG_LEVEL (default info). */
export function createLogger(level = process.env.PINPIPE_LOG_LEVEL ?? 'info', format: LogFormat = logFormat()): Logger {
  const options = { level, base: { app: 'pinpipe' }, timestamp: pino.stdTimeFunctions.isoTime };
  if (format === 'pretty') return pino(options, prettyLogStream(process.stderr, { stacks: pino.levels.values[level] <= pino.levels.values.debug }));
  return pino(options, pino.destination({ fd: 2, sync: false }));
}

let root: Logger | undefined;

/** The shared root logger; components take `rootLogger().child({ component })`. */
export function rootLogger(): Logger {
  root ??= createLogger();
  return root;
}
