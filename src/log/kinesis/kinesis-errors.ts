import { PinpipeError, type ErrorKind } from '../../core/errors.js';

const BY_NAME: Record<string, ErrorKind> = {
  ResourceNotFoundException: 'TOPIC_NOT_FOUND',
  ResourceInUseException: 'TOPIC_EXISTS',
  InvalidArgumentException: 'INVALID_BODY',
  ValidationException: 'INVALID_BODY',
};

/** The AWS error name (`ProvisionedThroughputExceededException`, …) of a failure, if it is one. */
export function awsErrorName(err: unknown): string | undefined {
  const name = (err as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' ? name : undefined;
}

/**
 * A Kinesis failure as a coded error: a missing or existing stream and bad arguments map to their
 * kinds; throttling, limits, 5xx and network failures are LOG_UNAVAILABLE (retryable, 503 on the API).
 */
export function kinesisError(what: string, err: unknown): PinpipeError {
  if (err instanceof PinpipeError) return err;
  const name = awsErrorName(err);
  const kind = (name && BY_NAME[name]) || 'LOG_UNAVAILABLE';
  return new PinpipeError(kind, `Kinesis ${what} failed: ${name ? `${name}: ` : ''}${(err as Error)?.message ?? String(err)}`, { cause: err });
}
