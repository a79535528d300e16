import { PinpipeError } from './errors.js';

const NAME = /^[a-zA-Z0-9._-]{1,249}$/;

/**
 * The longest topic (and stream) name. The lake names objects `<topic>+<partition>+<offset>.json`,
 * and that must fit a file name (255 bytes) with a 4-digit partition (at most 4096) and a 16-digit
 * offset (the largest safe integer): 255 − 27 = 228. Kafka's own limit, 249, is for its `<topic>-<p>`.
 */
export const MAX_TOPIC_NAME_LENGTH = 228;

/** True for a legal group or job name (Kafka's rule): safe to use in a path or SQL identifier. */
export function isValidName(name: string): boolean {
  return NAME.test(name) && name !== '.' && name !== '..';
}

/** True for a legal topic or stream name: a legal name whose lake object names fit the file system. */
export function isValidTopicName(name: string): boolean {
  return isValidName(name) && name.length <= MAX_TOPIC_NAME_LENGTH;
}

const shown = (name: unknown): string => (JSON.stringify(name) ?? String(name)).slice(0, 300);

/** Throws INVALID_NAME unless `name` is legal; returns it for chaining. */
export function assertName(name: string, what = 'name'): string {
  if (typeof name !== 'string' || !isValidName(name))
    throw new PinpipeError('INVALID_NAME', `Invalid ${what} ${shown(name)}: 1-249 characters of [a-zA-Z0-9._-], not "." or "..".`);
  return name;
}

/** Throws INVALID_NAME unless `name` is a legal topic name (at most MAX_TOPIC_NAME_LENGTH characters); returns it. */
export function assertTopicName(name: string, what = 'topic'): string {
  if (typeof name !== 'string' || !isValidTopicName(name))
    throw new PinpipeError(
      'INVALID_NAME',
      `Invalid ${what} ${shown(name)}: 1-${MAX_TOPIC_NAME_LENGTH} characters of [a-zA-Z0-9._-], not "." or ".." (the lake's object names must fit a file name).`,
    );
  return name;
}
