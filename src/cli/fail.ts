import { PinpipeError, type ErrorKind } from '../core/errors.js';

/** Exit codes of every pinpipe command (docs/errors.md, "Exit codes"). */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** Error kinds that mean "fix the command line or the configuration": they exit with 2, every other failure with 1. */
export const USAGE_KINDS: ReadonlySet<ErrorKind> = new Set<ErrorKind>([
  'USAGE',
  'CONFIG_INVALID',
  'DATA_DIR_MISSING',
  'INVALID_NAME',
  'BATCH_INVALID_DATE',
  'RESULT_NOT_FOUND',
  'DAG_NOT_FOUND',
  'DAG_INVALID',
  'DAG_INVALID_DATE',
  'DAG_RUN_EXISTS',
]);

/** Kinds that already name an environment problem and its fix. */
const ENVIRONMENT_KINDS: ReadonlySet<ErrorKind> = new Set<ErrorKind>(['ADDRESS_IN_USE', 'DIR_NOT_WRITABLE', 'NOT_REACHABLE', 'DATA_DIR_LOCKED']);

/** A usage error: one line naming the problem and the fix; exits with 2. */
export function usageError(message: string): PinpipeError {
  return new PinpipeError('USAGE', message);
}

interface SystemError extends Error {
  code?: string;
  syscall?: string;
  path?: string;
  address?: string;
  port?: number;
}

/** The first error in the `cause` chain that carries a system error code (EACCES, EADDRINUSE, …). */
function systemCause(err: unknown): SystemError | undefined {
  for (let e = err, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    const code = (e as SystemError).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return e as SystemError;
  }
  return undefined;
}

/** A system error (errno) as a coded error whose message names the problem and the fix; undefined for others. */
export function fromSystemError(err: unknown): PinpipeError | undefined {
  const e = systemCause(err);
  if (!e) return undefined;
  const where = e.path ? ` ${e.path}` : '';
  switch (e.code) {
    case 'EADDRINUSE':
      return new PinpipeError(
        'ADDRESS_IN_USE',
        `port ${e.port ?? '?'} on ${e.address ?? 'this host'} is already in use: stop the process listening there, or choose another port with --port`,
        { cause: err },
      );
    case 'EADDRNOTAVAIL':
      return new PinpipeError(
        'ADDRESS_IN_USE',
        `cannot listen on ${e.address ?? 'that address'}: it is not an address of this machine; choose another --host`,
        {
          cause: err,
        },
      );
    case 'EACCES':
    case 'EPERM':
      if (e.syscall === 'listen' || e.syscall === 'bind')
        return new PinpipeError('ADDRESS_IN_USE', `not allowed to listen on port ${e.port ?? '?'}: ports below 1024 need privileges; choose another --port`, {
          cause: err,
        });
      return new PinpipeError('DIR_NOT_WRITABLE', `permission denied on${where}: make it writable by this user, or choose another --data-dir`, { cause: err });
    case 'EROFS':
      return new PinpipeError('DIR_NOT_WRITABLE', `${e.path ?? 'the data dir'} is on a read-only filesystem: choose another --data-dir`, { cause: err });
    case 'ENOSPC':
    case 'EDQUOT':
      return new PinpipeError('DIR_NOT_WRITABLE', `no space left writing${where}: free some disk space, or choose another --data-dir`, { cause: err });
    case 'ECONNREFUSED':
    case 'ECONNRESET':
    case 'ENOTFOUND':
    case 'EHOSTUNREACH':
    case 'ETIMEDOUT':
      return new PinpipeError(
        'NOT_REACHABLE',
        `nothing answers at ${e.address ?? ''}${e.port ? `:${e.port}` : ''} (${e.code}): start pinpipe up, or pass the right --url`,
        {
          cause: err,
        },
      );
    default:
      return undefined;
  }
}

/** What a failed command prints (one line) and exits with. */
export function describeFailure(err: unknown): { line: string; exitCode: number } {
  // A coded error caused by a system error (STORE_UNAVAILABLE over EACCES) is told as the system error, which names the fix.
  const keep = err instanceof PinpipeError && (ENVIRONMENT_KINDS.has(err.kind) || !systemCause(err.cause));
  const coded = keep ? err : (fromSystemError(err) ?? err);
  if (coded instanceof PinpipeError) {
    const message = coded.message.split('\n').join(' ').replace(/\s+/g, ' ').trim();
    return { line: `error: ${message}`, exitCode: USAGE_KINDS.has(coded.kind) ? EXIT.usage : EXIT.failure };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { line: `error: ${message.split('\n')[0]} (run again with --verbose for the details)`, exitCode: EXIT.failure };
}

/** Print a failed command's one line (and with `verbose` its stack) on stderr; returns the exit code. */
export function reportFailure(err: unknown, verbose: boolean): number {
  const { line, exitCode } = describeFailure(err);
  process.stderr.write(`${line}\n`);
  if (verbose && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  return exitCode;
}
