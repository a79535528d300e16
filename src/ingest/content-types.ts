import type { FastifyInstance } from 'fastify';
import { PinpipeError } from '../core/errors.js';

/** Media types the REST proxy's JSON produce accepts (SPEC §6.1). */
export const JSON_MEDIA_TYPES = ['application/vnd.kafka.json.v2+json', 'application/vnd.kafka.v2+json', 'application/json'] as const;

/** Parse JSON bodies of the accepted media types as text first, so one limit covers the whole body. */
export function registerJsonParsers(app: FastifyInstance, maxBodyBytes: number): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser([...JSON_MEDIA_TYPES], { parseAs: 'string', bodyLimit: maxBodyBytes }, (_req, body, done) => {
    try {
      done(null, body.length === 0 ? undefined : JSON.parse(body as string));
    } catch (err) {
      done(new PinpipeError('INVALID_BODY', `Request body is not valid JSON: ${(err as Error).message}`), undefined);
    }
  });
}
