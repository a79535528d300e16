import { PinpipeError } from '../../core/errors.js';

/** A Kinesis JSON 1.1 request body: a JSON object (an empty body counts as `{}`). */
export type Input = Record<string, unknown>;

/** The body as an input object; SerializationException (INVALID_BODY) when it is not a JSON object. */
export function inputObject(body: unknown): Input {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw new PinpipeError('INVALID_BODY', 'The request body must be a JSON object.');
  return body as Input;
}

const invalid = (field: string, value: unknown, constraint: string): PinpipeError =>
  new PinpipeError(
    'KINESIS_VALIDATION',
    `1 validation error detected: Value ${JSON.stringify(value)?.slice(0, 80) ?? 'null'} at '${field}' failed to satisfy constraint: ${constraint}`,
  );

/** An optional string member of length `min..max`; KINESIS_VALIDATION when it is of another type or length. */
export function optString(input: Input, member: string, min = 0, max = Infinity): string | undefined {
  const v = input[member];
  if (v === undefined || v === null) return undefined;
  const field = member.charAt(0).toLowerCase() + member.slice(1);
  if (typeof v !== 'string') throw invalid(field, v, 'Member must be a string');
  if (v.length < min) throw invalid(field, v, `Member must have length greater than or equal to ${min}`);
  if (v.length > max) throw invalid(field, v, `Member must have length less than or equal to ${max}`);
  return v;
}

/** A required string member; KINESIS_VALIDATION when it is missing. */
export function reqString(input: Input, member: string, min = 0, max = Infinity): string {
  const v = optString(input, member, min, max);
  if (v === undefined) throw invalid(member.charAt(0).toLowerCase() + member.slice(1), null, 'Member must not be null');
  return v;
}

/** An optional integer member in `min..max`. */
export function optInt(input: Input, member: string, min: number, max: number): number | undefined {
  const v = input[member];
  if (v === undefined || v === null) return undefined;
  const field = member.charAt(0).toLowerCase() + member.slice(1);
  if (typeof v !== 'number' || !Number.isInteger(v)) throw invalid(field, v, 'Member must be an integer');
  if (v < min) throw invalid(field, v, `Member must have value greater than or equal to ${min}`);
  if (v > max) throw invalid(field, v, `Member must have value less than or equal to ${max}`);
  return v;
}

/** An optional timestamp member: epoch seconds (how AWS JSON 1.1 sends them) or an ISO-8601 string; returns epoch ms. */
export function optTimestampMs(input: Input, member: string): number | undefined {
  const v = input[member];
  if (v === undefined || v === null) return undefined;
  const ms = typeof v === 'number' ? v * 1000 : typeof v === 'string' ? Date.parse(v) : NaN;
  if (!Number.isFinite(ms)) throw invalid(member.charAt(0).toLowerCase() + member.slice(1), v, 'Member must be a timestamp (epoch seconds)');
  return ms;
}
