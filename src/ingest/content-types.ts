import type { FastifyInstance } from 'fastify';
import { PinpipeError } from '../core/errors.js';
import type { RawBodyRequest } from './auth.js';
import { bodyProblem } from './json-limits.js';
import { parseJsonBody } from './produce-body.js';

/** Media types the REST proxy's JSON produce accepts (docs/wire-formats.md §6.1). */
export const JSON_MEDIA_TYPES = ['application/vnd.kafka.json.v2+json', 'application/vnd.kafka.v2+json', 'application/json'] as const;

/**
 * Read JSON bodies of the accepted media types as bytes, so one limit covers the whole body, and
 * parse them — except on routes whose config has `rawJsonBody` (produce), which get the bytes.
 * A parsed body nesting deeper than `maxJsonDepth` plus its envelope, or holding a number out of range or a lone surrogate, is refused (INVALID_BODY).
 */
export function registerJsonParsers(app: FastifyInstance, maxBodyBytes: number, maxJsonDepth: number): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser([...JSON_MEDIA_TYPES], { parseAs: 'buffer', bodyLimit: maxBodyBytes }, (req, body, done) => {
    (req as RawBodyRequest).rawBody = body as Buffer; // what a SigV4 signature covers
    if ((req.routeOptions.config as { rawJsonBody?: boolean }).rawJsonBody) return done(null, body);
    try {
      const parsed = parseJsonBody((body as Buffer).toString('utf8'));
      const problem = bodyProblem(parsed, maxJsonDepth);
      if (problem) throw new PinpipeError('INVALID_BODY', problem);
      done(null, parsed);
    } catch (err) {
      done(err as Error, undefined);
    }
  });
}
