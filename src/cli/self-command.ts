import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import type { GlobalOptions } from './globals.js';

/**
 * The command that runs this very pinpipe, absolute: node, the TypeScript loader when running
 * from source, and the CLI entry point. What the scheduler's task processes and an exported
 * Airflow DAG run.
 * @example selfCommand() // → ['/usr/bin/node', '/opt/pinpipe/dist/cli/main.js']
 */
export function selfCommand(): string[] {
  const fromSource = import.meta.url.endsWith('.ts');
  const main = fileURLToPath(new URL(fromSource ? './main.ts' : './main.js', import.meta.url));
  return fromSource ? [process.execPath, '--import', import.meta.resolve('tsx'), main] : [process.execPath, main];
}

/** The global options as arguments (absolute paths), so a child pinpipe sees the same data dir, prefix and config. */
export function globalArgs(g: GlobalOptions, dataDir: string, prefix: string): string[] {
  return ['--data-dir', resolve(dataDir), '--prefix', prefix, ...(g.config ? ['--config', resolve(g.config)] : [])];
}
