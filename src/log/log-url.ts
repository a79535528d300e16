import { join, resolve } from 'node:path';
import type { Config } from '../core/config.js';
import { PinpipeError } from '../core/errors.js';

/** Where a log lives, from its URL. */
export type LogLocation = { kind: 'sqlite'; dir: string } | { kind: 'kafka'; brokers: string[] } | { kind: 'kinesis'; region: string };

const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/**
 * Parse a log URL: `sqlite:<dir>` (the embedded log's directory), `kafka://host:port[,host:port…]`
 * (bootstrap servers) or `kinesis://<region>` (Kinesis Data Streams; endpoint and credentials from
 * the standard AWS chain). Throws CONFIG_INVALID saying what is wrong.
 * @example parseLogUrl('kafka://b-1.msk:9098,b-2.msk:9098') // { kind: 'kafka', brokers: ['b-1.msk:9098', 'b-2.msk:9098'] }
 */
export function parseLogUrl(url: string): LogLocation {
  const bad = (why: string) => new PinpipeError('CONFIG_INVALID', `Invalid log URL ${JSON.stringify(url)}: ${why}.`);
  if (url.startsWith('sqlite:')) {
    const dir = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (!dir) throw bad('expected sqlite:<directory>');
    return { kind: 'sqlite', dir: resolve(dir) };
  }
  if (url.startsWith('kafka://')) {
    const brokers = url.slice('kafka://'.length).replace(/\/$/, '').split(',');
    for (const b of brokers) {
      const m = HOST_PORT.exec(b);
      if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) throw bad(`${JSON.stringify(b)} is not host:port (expected kafka://host:port[,host:port…])`);
    }
    return { kind: 'kafka', brokers };
  }
  if (url.startsWith('kinesis://')) {
    const region = url.slice('kinesis://'.length).replace(/\/$/, '');
    if (!REGION.test(region)) throw bad(`${JSON.stringify(region)} is not an AWS region (expected kinesis://us-east-1)`);
    return { kind: 'kinesis', region };
  }
  throw bad('expected sqlite:<dir>, kafka://host:port[,host:port…] or kinesis://<region>');
}

/** The URLs in effect: the topics' log (default: the embedded log under the data dir) and the streams' log (default: the same). */
export function logUrls(config: Pick<Config, 'dataDir' | 'log' | 'streams'>): { log: string; streams: string } {
  const log = config.log.url ?? defaultLogUrl(config.dataDir);
  return { log, streams: config.streams.url ?? log };
}

/** The embedded log's URL under a data dir: `sqlite:<dataDir>/log`. */
export function defaultLogUrl(dataDir: string): string {
  return `sqlite:${join(resolve(dataDir), 'log')}`;
}

/** A URL fit to print: the same, since log URLs carry no secrets (credentials live in config keys and the AWS chain). */
export function describeLogUrl(url: string): string {
  const at = parseLogUrl(url);
  if (at.kind === 'sqlite') return `sqlite:${at.dir}`;
  if (at.kind === 'kafka') return `kafka://${at.brokers.join(',')}`;
  return `kinesis://${at.region}`;
}
