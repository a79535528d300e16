import type { FastifyInstance } from 'fastify';
import { parseJsonBody } from './produce-body.js';

/** Media types the REST proxy's JSON produce accepts (docs/wire-formats.md §6.1). */
export const JSON_MEDIA_TYPES = ['application/vnd.kafka.json.v2+json', 'application/vnd.kafka.v2+json', 'application/json'] as const;

/**
 * Read JSON bodies of the accepted media types as bytes, so one limit covers the whole body, and
 * parse them — except on routes whose config has `rawJsonBody` (produce), which get the bytes.
 */
export function registerJsonParsers(app: FastifyInstance, maxBodyBytes: number): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser([...JSON_MEDIA_TYPES], { parseAs: 'buffer', bodyLimit: maxBodyBytes }, (req, body, done) => {
    if ((req.routeOptions.config as { rawJsonBody?: boolean }).rawJsonBody) return done(null, body);
    try {
      done(null, parseJsonBody((body as Buffer).toString('utf8')));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
}
