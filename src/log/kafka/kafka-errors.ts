import { PinpipeError, type ErrorKind } from '../../core/errors.js';

/** The Kafka protocol error of `err` (`TOPIC_ALREADY_EXISTS`, …) wherever the client nested it. */
export function kafkaErrorId(err: unknown): string | undefined {
  const e = err as { apiId?: string; findBy?: (k: string, v: unknown) => { apiId?: string } | null; errors?: unknown[]; cause?: unknown } | undefined;
  if (!e || typeof e !== 'object') return undefined;
  if (typeof e.apiId === 'string') return e.apiId;
  for (const inner of [...(Array.isArray(e.errors) ? e.errors : []), e.cause]) {
    const id = kafkaErrorId(inner);
    if (id) return id;
  }
  return undefined;
}

const BY_PROTOCOL_ERROR: Record<string, ErrorKind> = {
  TOPIC_ALREADY_EXISTS: 'TOPIC_EXISTS',
  UNKNOWN_TOPIC_OR_PARTITION: 'TOPIC_NOT_FOUND',
  UNKNOWN_TOPIC_ID: 'TOPIC_NOT_FOUND',
  INVALID_TOPIC_EXCEPTION: 'INVALID_NAME',
  INVALID_PARTITIONS: 'INVALID_BODY',
  MESSAGE_TOO_LARGE: 'RECORD_TOO_LARGE',
  RECORD_LIST_TOO_LARGE: 'RECORD_TOO_LARGE',
};

/**
 * A client failure as a coded error: Kafka's own refusals map to their kinds (topic exists, not
 * found…); everything else — no broker reachable, timeouts, leaders moving — is LOG_UNAVAILABLE,
 * which is retryable and answers 503 on the API.
 */
export function kafkaError(what: string, err: unknown): PinpipeError {
  if (err instanceof PinpipeError) return err;
  const id = kafkaErrorId(err);
  const kind = (id && BY_PROTOCOL_ERROR[id]) || 'LOG_UNAVAILABLE';
  const message = (err as Error)?.message ?? String(err);
  const root = rootCause(err);
  const detail = root && root !== message ? `${message} (${root})` : message;
  return new PinpipeError(kind, `Kafka ${what} failed: ${id ? `${id}: ` : ''}${detail}`, { cause: err });
}

/** The message of the innermost error (the client wraps a refused connection in retries and aggregates). */
function rootCause(err: unknown): string | undefined {
  let e = err as { errors?: unknown[]; cause?: unknown; message?: string } | undefined;
  for (let depth = 0; e && depth < 10; depth++) {
    const inner = (Array.isArray(e.errors) && e.errors.length > 0 ? e.errors[e.errors.length - 1] : e.cause) as typeof e;
    if (!inner) return e.message;
    e = inner;
  }
  return e?.message;
}
