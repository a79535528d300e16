import type { FastifyInstance } from 'fastify';
import { PinpipeError, type ErrorKind } from '../../core/errors.js';
import { errorKindOf } from '../error-handler.js';
import { kinesisMetrics } from './kinesis-metrics.js';

/** How an error leaves the Kinesis routes: HTTP status, the `__type` clients switch on, the message. */
export interface KinesisErrorReply {
  status: number;
  type: string;
  message: string;
  /** Our error code (docs/errors.md), for the metrics. */
  code: number;
}

/** Our error kinds as Kinesis error types; anything not listed is an InternalFailure (500). */
const TYPES: Partial<Record<ErrorKind, string>> = {
  TOPIC_NOT_FOUND: 'ResourceNotFoundException',
  PARTITION_NOT_FOUND: 'ResourceNotFoundException',
  NOT_FOUND: 'ResourceNotFoundException',
  TOPIC_EXISTS: 'ResourceInUseException',
  TOPIC_NOT_DELETABLE: 'ResourceInUseException',
  KINESIS_VALIDATION: 'ValidationException',
  INVALID_NAME: 'ValidationException',
  INVALID_RECORD: 'ValidationException',
  RECORD_TOO_LARGE: 'ValidationException',
  TOO_MANY_RECORDS: 'ValidationException',
  BODY_TOO_LARGE: 'ValidationException',
  KINESIS_INVALID_ARGUMENT: 'InvalidArgumentException',
  KINESIS_RESHARDING_UNSUPPORTED: 'InvalidArgumentException',
  INVALID_POSITION: 'InvalidArgumentException',
  KINESIS_ITERATOR_EXPIRED: 'ExpiredIteratorException',
  KINESIS_LIMIT_EXCEEDED: 'LimitExceededException',
  TOPIC_LIMIT_REACHED: 'LimitExceededException',
  KINESIS_UNKNOWN_OPERATION: 'UnknownOperationException',
  INVALID_BODY: 'SerializationException',
  INVALID_URL: 'SerializationException',
  UNSUPPORTED_MEDIA_TYPE: 'SerializationException',
  // What AWS answers for a request without a signature and for an access key it does not know.
  UNAUTHORIZED: 'MissingAuthenticationTokenException',
  FORBIDDEN: 'UnrecognizedClientException',
  SIGNATURE_INVALID: 'InvalidSignatureException',
  CLOSED: 'ServiceUnavailable',
};

/** The Kinesis error type of an error (`InternalFailure` for the unexpected). */
export function kinesisTypeOf(err: unknown): string {
  return TYPES[errorKindOf(err)] ?? 'InternalFailure';
}

const MEDIA_HINT =
  'pinpipe speaks AWS JSON 1.1 only: send Content-Type application/x-amz-json-1.1 (CBOR is not supported; e.g. AWS_CBOR_DISABLE=true for the Java SDK).';

/**
 * The reply for an error. `json` (the AWS JSON 1.1 API) answers every client error with 400, as
 * Kinesis does, so SDKs map it onto their exception classes; `gateway` (the API-Gateway routes)
 * keeps 401/403 for authentication, as API Gateway does.
 */
export function kinesisErrorReply(err: unknown, dialect: 'json' | 'gateway'): KinesisErrorReply {
  const kind = errorKindOf(err);
  const type = TYPES[kind] ?? 'InternalFailure';
  const known =
    err instanceof PinpipeError ? err : new PinpipeError(kind, kind === 'INVALID_BODY' ? `Request body is not valid: ${(err as Error).message}` : undefined);
  const message =
    kind === 'UNSUPPORTED_MEDIA_TYPE' ? MEDIA_HINT : kind === 'UNAUTHORIZED' && dialect === 'json' ? 'Missing Authentication Token' : known.message;
  const spec = known.spec;
  let status = spec.status >= 500 ? spec.status : 400;
  if (dialect === 'gateway' && (kind === 'UNAUTHORIZED' || kind === 'FORBIDDEN' || kind === 'SIGNATURE_INVALID')) status = spec.status;
  return { status, type, message, code: spec.restCode };
}

/** Make every error of this Fastify context (auth hooks included) answer `{"__type", "message"}`. */
export function setKinesisErrorHandler(scope: FastifyInstance, dialect: 'json' | 'gateway'): void {
  const contentType = dialect === 'json' ? 'application/x-amz-json-1.1' : 'application/json';
  scope.setErrorHandler((err, req, reply) => {
    const r = kinesisErrorReply(err, dialect);
    kinesisMetrics.requestErrors.inc({ code: String(r.code) });
    if (r.status >= 500) req.log.error({ err, url: req.url }, 'kinesis request failed');
    void reply.status(r.status).header('x-amzn-ErrorType', r.type).type(contentType).send({ __type: r.type, message: r.message });
  });
}
