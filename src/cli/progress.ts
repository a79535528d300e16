/** A progress line for long CLI work: drawn on a terminal only, silent in pipes and logs. */
export interface Progress {
  /** Report how much is done (same unit as `total`). */
  update(done: number): void;
  /** Finish: replace the bar by `message` (when given) on a terminal. */
  done(message?: string): void;
}

export interface ProgressOptions {
  /** What is being done, e.g. "generating". */
  label: string;
  /** The amount of work, when known (a bar and an ETA are drawn only then). */
  total?: number;
  /** Unit of the counts, e.g. "rows". */
  unit?: string;
  /** Where to draw (default stderr); nothing is drawn unless it is a TTY. */
  stream?: NodeJS.WriteStream;
  /** Least time between two redraws (default 100 ms). */
  intervalMs?: number;
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 60) return `${Math.ceil(seconds)}s`;
  const m = Math.floor(seconds / 60);
  return m < 60 ? `${m}m${String(Math.ceil(seconds % 60)).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** Start a progress line, e.g. `const p = progress({ label: 'generating', total: rows, unit: 'rows' }); p.update(n); p.done()`. */
export function progress(opts: ProgressOptions): Progress {
  const stream = opts.stream ?? process.stderr;
  if (!stream.isTTY) return { update: () => undefined, done: () => undefined };
  const t0 = performance.now();
  const interval = opts.intervalMs ?? 100;
  let last = -Infinity;
  let shown = false;
  const draw = (done: number): void => {
    const seconds = (performance.now() - t0) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const unit = opts.unit ? ` ${opts.unit}` : '';
    const columns = stream.columns || 80;
    let text: string;
    if (opts.total !== undefined && opts.total > 0) {
      const share = Math.min(1, done / opts.total);
      const tail = ` ${String(Math.floor(share * 100)).padStart(3)}%  ${fmt(done)}/${fmt(opts.total)}${unit}  ${fmt(rate)}/s  ETA ${duration(rate > 0 ? (opts.total - done) / rate : Infinity)}`;
      const barWidth = Math.max(10, Math.min(30, columns - opts.label.length - tail.length - 4));
      const filled = Math.round(share * barWidth);
      text = `${opts.label} [${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}]${tail}`;
    } else {
      text = `${opts.label} ${fmt(done)}${unit}  ${fmt(rate)}/s  ${duration(seconds)}`;
    }
    stream.write(`\r${text.slice(0, columns - 1)}\x1b[K`);
    shown = true;
  };
  return {
    update(done) {
      const now = performance.now();
      if (now - last < interval && done !== opts.total) return;
      last = now;
      draw(done);
    },
    done(message) {
      if (shown) stream.write('\r\x1b[K');
      if (message) stream.write(`${message}\n`);
    },
  };
}
