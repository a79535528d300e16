import { PinpipeError } from './errors.js';

const NAME = /^[a-zA-Z0-9._-]{1,249}$/;

/** True for a legal topic/stream/group name (Kafka's rule): safe to use in a path or SQL identifier. */
export function isValidName(name: string): boolean {
  return NAME.test(name) && name !== '.' && name !== '..';
}

/** Throws INVALID_NAME unless `name` is legal; returns it for chaining. */
export function assertName(name: string, what = 'name'): string {
  if (!isValidName(name))
    throw new PinpipeError('INVALID_NAME', `Invalid ${what} ${JSON.stringify(name).slice(0, 300)}: 1-249 characters of [a-zA-Z0-9._-], not "." or "..".`);
  return name;
}
