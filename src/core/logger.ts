import { pino, type Logger } from 'pino';

export type { Logger };

/** The process logger: JSON lines on stderr; level from PINPIPE_LOG_LEVEL (default info). */
export function createLogger(level = process.env.PINPIPE_LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { app: 'pinpipe' } }, pino.destination({ fd: 2, sync: false }));
}

let root: Logger | undefined;

/** The shared root logger; components take `rootLogger().child({ component })`. */
export function rootLogger(): Logger {
  root ??= createLogger();
  return root;
}
