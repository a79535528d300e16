import { styleText } from 'node:util';

type Style = Parameters<typeof styleText>[0];

const LEVELS: Record<number, { name: string; style: Style }> = {
  10: { name: 'TRACE', style: 'gray' },
  20: { name: 'DEBUG', style: 'gray' },
  30: { name: 'INFO ', style: 'green' },
  40: { name: 'WARN ', style: 'yellow' },
  50: { name: 'ERROR', style: 'red' },
  60: { name: 'FATAL', style: 'red' },
};

/** Fields every line has, shown in the line's head rather than as key=value. */
const HEAD = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'app', 'component', 'err']);

function value(v: unknown): string {
  if (typeof v === 'string') return /^[\w./:@+-]*$/.test(v) && v !== '' ? v : JSON.stringify(v);
  return JSON.stringify(v) ?? String(v);
}

/**
 * A pino destination that writes each log object as one human line on a terminal —
 * `2026-11-26T10:00:00.000Z INFO  sink: message key=value` — colourised when the stream supports
 * colour (NO_COLOR and FORCE_COLOR are honoured). Formatting runs on the main thread: no worker
 * thread to start (pino-pretty's transport costs one), and lines keep their order with stdout.
 */
export function prettyLogStream(stream: NodeJS.WriteStream, opts: { stacks?: boolean } = {}): { write(line: string): void } {
  const colour = typeof stream.hasColors === 'function' ? stream.hasColors() : false;
  const paint = (style: Style, text: string): string => (colour ? styleText(style, text) : text);
  return {
    write(line: string) {
      let o: Record<string, unknown>;
      try {
        o = JSON.parse(line) as Record<string, unknown>;
      } catch {
        stream.write(line);
        return;
      }
      const level = LEVELS[o.level as number] ?? { name: String(o.level), style: 'white' };
      const parts = [paint('gray', String(o.time ?? '')), paint(level.style, level.name)];
      if (o.component) parts.push(paint('cyan', `${String(o.component)}:`));
      parts.push(String(o.msg ?? ''));
      for (const [k, v] of Object.entries(o)) if (!HEAD.has(k) && v !== undefined) parts.push(paint('gray', `${k}=`) + value(v));
      const err = o.err as { message?: string; stack?: string; code?: string } | undefined;
      if (err) parts.push(paint('red', `error=${value(err.code ? `${err.code}: ${err.message}` : err.message)}`));
      stream.write(`${parts.join(' ')}\n${err?.stack && opts.stacks ? `${paint('gray', err.stack)}\n` : ''}`);
    },
  };
}
