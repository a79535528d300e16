import type { FastifyError, FastifyInstance } from 'fastify';
import { PinpipeError, type ErrorKind } from '../core/errors.js';
import { counter } from '../core/metrics.js';
import type { Logger } from '../core/logger.js';
import { JSON_MEDIA_TYPES } from './content-types.js';

const rejected = counter('pinpipe_ingest_request_errors_total', 'Requests refused, by error code', ['code']);

/** Fastify's own framework errors, mapped onto our table. */
const FASTIFY_CODES: Record<string, ErrorKind> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'INVALID_BODY',
  FST_ERR_CTP_BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_BODY',
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_BODY',
  FST_ERR_VALIDATION: 'INVALID_BODY',
};

/** Map a thrown error to the kind of our table it belongs to. */
export function errorKindOf(err: unknown): ErrorKind {
  if (err instanceof PinpipeError) return err.kind;
  const code = (err as FastifyError | undefined)?.code;
  if (code && FASTIFY_CODES[code]) return FASTIFY_CODES[code];
  if (err instanceof SyntaxError) return 'INVALID_BODY';
  const status = (err as FastifyError | undefined)?.statusCode;
  if (status === 404) return 'NOT_FOUND';
  if (status === 415) return 'UNSUPPORTED_MEDIA_TYPE';
  if (status === 413) return 'BODY_TOO_LARGE';
  if (status && status >= 400 && status < 500) return 'INVALID_BODY';
  return 'INTERNAL';
}

/** The message for a framework error: what was wrong, and for a 415 the media types that are accepted. */
function detailOf(kind: ErrorKind, err: unknown): string | undefined {
  if (kind === 'INVALID_BODY') return `Request body is not valid: ${(err as Error).message}`;
  if (kind === 'UNSUPPORTED_MEDIA_TYPE')
    return `HTTP 415 Unsupported Media Type: send Content-Type ${JSON_MEDIA_TYPES.join(', ')} (the binary, Avro, Protobuf and JSON Schema formats are not supported)`;
  return undefined;
}

/**
 * Every error leaves the REST API in the proxy's shape `{"error_code": n, "message": "…"}`.
 * Routes under a prefix that speaks another dialect (Kinesis) install their own handler.
 */
export function registerErrorHandler(app: FastifyInstance, logger: Logger): void {
  app.setErrorHandler((err, req, reply) => {
    const kind = errorKindOf(err);
    const e = err instanceof PinpipeError ? err : new PinpipeError(kind, detailOf(kind, err));
    rejected.inc({ code: String(e.spec.restCode) });
    if (e.spec.status >= 500) logger.error({ err, url: req.url }, 'request failed');
    void reply.status(e.spec.status).type('application/vnd.kafka.v2+json').send({ error_code: e.spec.restCode, message: e.message });
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).type('application/vnd.kafka.v2+json').send({ error_code: 404, message: 'HTTP 404 Not Found' });
  });
}
