import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** The parts of an `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…` header. */
export interface SigV4Header {
  accessKeyId: string;
  /** The credential scope: `<yyyymmdd>/<region>/<service>/aws4_request`. */
  scope: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

/** The request as signed: method, the URL as sent (path and query), headers (lower-case names) and the body's exact bytes. */
export interface SignedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Uint8Array;
}

/** How far a request's X-Amz-Date may be from our clock (AWS allows 15 minutes). */
export const MAX_CLOCK_SKEW_MS = 15 * 60_000;

const HEADER =
  /^AWS4-HMAC-SHA256 +Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request *, *SignedHeaders=([a-z0-9;.-]+) *, *Signature=([0-9a-f]{64})$/;

/** True when an Authorization header claims AWS SigV4. */
export const isSigV4 = (authorization: unknown): authorization is string => typeof authorization === 'string' && authorization.startsWith('AWS4-HMAC-SHA256');

/** The parts of a SigV4 Authorization header, or undefined when it is not a well-formed one. */
export function parseSigV4(authorization: string): SigV4Header | undefined {
  const m = HEADER.exec(authorization.trim());
  if (!m) return undefined;
  const [, accessKeyId, date, region, service, signed, signature] = m;
  return { accessKeyId, scope: `${date}/${region}/${service}/aws4_request`, date, region, service, signedHeaders: signed.split(';'), signature };
}

/** RFC 3986 encoding as SigV4 wants it: everything but unreserved characters as %XX (upper-case hex). */
const uriEncode = (s: string): string => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const decode = (s: string): string => {
  try {
    return decodeURIComponent(s.replace(/\+/g, '%20'));
  } catch {
    return s;
  }
};

/** The canonical request of SigV4 for a non-S3 service (path segments and query encoded once). */
function canonicalRequest(req: SignedRequest, signedHeaders: string[], payloadHash: string): string {
  const q = req.url.indexOf('?');
  const path = q < 0 ? req.url : req.url.slice(0, q);
  const query = q < 0 ? '' : req.url.slice(q + 1);
  const canonicalPath =
    path
      .split('/')
      .map((seg) => uriEncode(decode(seg)))
      .join('/') || '/';
  const canonicalQuery = query
    .split('&')
    .filter(Boolean)
    .map((p) => {
      const eq = p.indexOf('=');
      return [uriEncode(decode(eq < 0 ? p : p.slice(0, eq))), uriEncode(decode(eq < 0 ? '' : p.slice(eq + 1)))];
    })
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const headers = signedHeaders
    .map((h) => {
      const v = req.headers[h];
      const text = Array.isArray(v) ? v.join(',') : (v ?? '');
      return `${h}:${text.trim().replace(/\s+/g, ' ')}\n`;
    })
    .join('');
  return [req.method.toUpperCase(), canonicalPath, canonicalQuery, headers, signedHeaders.join(';'), payloadHash].join('\n');
}

const hmac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data).digest();
const sha256 = (data: Uint8Array | string): string => createHash('sha256').update(data).digest('hex');

/** The request's X-Amz-Date as epoch ms (`yyyymmddThhmmssZ`), or undefined. */
function amzDateMs(v: unknown): number | undefined {
  const m = typeof v === 'string' ? /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(v) : null;
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : undefined;
}

/**
 * Check a SigV4 signature for real: the signature the client computed from the request (its
 * signed headers, the body's SHA-256) must be the one a secret of `secrets` gives, and X-Amz-Date
 * within 15 minutes of `now`. Returns why not, or undefined when one secret verifies it.
 */
export function sigV4Problem(req: SignedRequest, header: SigV4Header, secrets: readonly string[], now: number): string | undefined {
  if (!header.signedHeaders.includes('host')) return 'the signature must cover the Host header';
  const amzDate = req.headers['x-amz-date'];
  const at = amzDateMs(amzDate);
  if (at === undefined || typeof amzDate !== 'string' || amzDate.slice(0, 8) !== header.date)
    return 'X-Amz-Date is missing or does not match the credential scope';
  if (Math.abs(now - at) > MAX_CLOCK_SKEW_MS) return 'Signature expired: X-Amz-Date is more than 15 minutes from the server time';
  const payloadHash = sha256(req.body);
  const declared = req.headers['x-amz-content-sha256'];
  if (typeof declared === 'string' && declared !== payloadHash) return 'X-Amz-Content-Sha256 does not match the body';
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, header.scope, sha256(canonicalRequest(req, header.signedHeaders, payloadHash))].join('\n');
  const given = Buffer.from(header.signature, 'hex');
  let ok = false;
  for (const secret of secrets) {
    const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, header.date), header.region), header.service), 'aws4_request');
    ok = timingSafeEqual(hmac(key, stringToSign), given) || ok;
  }
  return ok ? undefined : 'The request signature we calculated does not match the signature you provided (sign with an API key as the secret access key).';
}
