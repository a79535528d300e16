import type { FastifyRequest } from 'fastify';

/** The region of the request's SigV4 credential scope (`Credential=<key>/<date>/<region>/kinesis/aws4_request`), default `us-east-1`; used in ARNs. */
export function regionOf(req: FastifyRequest): string {
  const auth = req.headers.authorization;
  const m = typeof auth === 'string' ? /Credential=[^/,\s]+\/\d{8}\/([a-z0-9-]{1,32})\//.exec(auth) : null;
  return m ? m[1] : 'us-east-1';
}
