import { PinpipeError } from '../../core/errors.js';

/** Run a database operation; a coded error passes, anything else (SQLITE_BUSY, IOERR, FULL…) becomes STORE_UNAVAILABLE. */
export function storeOp<T>(what: string, op: () => T): T {
  try {
    return op();
  } catch (err) {
    throw storeError(what, err);
  }
}

/** The coded form of a database failure: coded errors pass, anything else is STORE_UNAVAILABLE (retryable). */
export function storeError(what: string, err: unknown): PinpipeError {
  if (err instanceof PinpipeError) return err;
  const code = (err as { code?: string }).code ?? 'ERROR';
  return new PinpipeError('STORE_UNAVAILABLE', `Retriable store error (${what}): ${code}: ${(err as Error).message}`, { cause: err });
}
