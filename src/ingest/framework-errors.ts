import type { FastifyReply, FastifyRequest } from 'fastify';
import { PinpipeError } from '../core/errors.js';
import { kinesisErrorReply } from './kinesis/kinesis-errors.js';

/** Longest path parameter the router matches (topic names reach 228 characters, stream names 128; the rest is headroom). */
export const MAX_PARAM_LENGTH = 256;

/** Our coded error for a URL the router could not take apart. */
function codedUrlError(err: Error & { code?: string }): PinpipeError {
  if (err.code === 'FST_ERR_MAX_PARAM_LENGTH')
    return new PinpipeError(
      'INVALID_NAME',
      `A name in the path is longer than ${MAX_PARAM_LENGTH} characters: names are at most 249 (topics and streams 228).`,
    );
  return new PinpipeError('INVALID_URL', `The request URL is not valid: ${err.message}`);
}

/**
 * Fastify's `frameworkErrors`: errors the router raises before any route (a bad `%` escape, an
 * over-long path parameter) answered in the dialect of the API the URL belongs to — the Kinesis
 * shape `{"__type","message"}` under `/streams` and for AWS JSON 1.1 calls, else the proxy's
 * `{"error_code","message"}`.
 */
export function frameworkErrors(err: Error & { code?: string }, req: FastifyRequest, reply: FastifyReply): void {
  const e = codedUrlError(err);
  const path = req.url.split('?')[0];
  const kinesis = path === '/streams' || path.startsWith('/streams/') ? 'gateway' : req.headers['x-amz-target'] !== undefined ? 'json' : undefined;
  if (kinesis) {
    const r = kinesisErrorReply(e, kinesis);
    void reply
      .status(r.status)
      .header('x-amzn-ErrorType', r.type)
      .type(kinesis === 'json' ? 'application/x-amz-json-1.1' : 'application/json')
      .send({ __type: r.type, message: r.message });
    return;
  }
  void reply.status(e.spec.status).type('application/vnd.kafka.v2+json').send({ error_code: e.spec.restCode, message: e.message });
}
