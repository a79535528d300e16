import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { envOverrides, loadConfig, parseConfig } from '../../src/core/config.js';
import { isError } from '../../src/core/errors.js';
import { logUrls, openLogUrl, parseLogUrl } from '../../src/log/index.js';

describe('log URLs', () => {
  it('parses the embedded, Kafka and Kinesis forms', () => {
    assert.deepEqual(parseLogUrl('sqlite:./data/log'), { kind: 'sqlite', dir: resolve('./data/log') });
    assert.deepEqual(parseLogUrl('sqlite:///var/lib/pinpipe'), { kind: 'sqlite', dir: '/var/lib/pinpipe' });
    assert.deepEqual(parseLogUrl('kafka://127.0.0.1:9092'), { kind: 'kafka', brokers: ['127.0.0.1:9092'] });
    assert.deepEqual(parseLogUrl('kafka://b-1.msk.example:9098,b-2.msk.example:9098'), {
      kind: 'kafka',
      brokers: ['b-1.msk.example:9098', 'b-2.msk.example:9098'],
    });
    assert.deepEqual(parseLogUrl('kinesis://eu-west-1'), { kind: 'kinesis', region: 'eu-west-1' });
  });

  it('says what is wrong with a bad URL', () => {
    for (const [url, says] of [
      ['kafka://broker', /"broker" is not host:port/],
      ['kafka://a:9092,,b:9092', /"" is not host:port/],
      ['kinesis://mars', /"mars" is not an AWS region/],
      ['sqlite:', /sqlite:<directory>/],
      ['redis://x:1', /expected sqlite:<dir>, kafka:\/\/host:port/],
    ] as const) {
      assert.throws(
        () => parseLogUrl(url),
        (err: unknown) => isError(err, 'CONFIG_INVALID') && says.test(err.message),
        url,
      );
    }
  });

  it('comes from log.url / streams.url, PINPIPE_LOG_URL / PINPIPE_STREAMS_URL; streams default to the log, the log to the data dir', () => {
    assert.deepEqual(logUrls(parseConfig({ dataDir: '/d' })), { log: 'sqlite:/d/log', streams: 'sqlite:/d/log' });
    assert.deepEqual(logUrls(parseConfig({ log: { url: 'kafka://k:9092' } })), { log: 'kafka://k:9092', streams: 'kafka://k:9092' });
    const env = { PINPIPE_LOG_URL: 'kafka://k:9092', PINPIPE_STREAMS_URL: 'kinesis://us-east-1' };
    assert.deepEqual(envOverrides(env), { log: { url: 'kafka://k:9092' }, streams: { url: 'kinesis://us-east-1' } });
    assert.deepEqual(logUrls(loadConfig({ env })), {
      log: 'kafka://k:9092',
      streams: 'kinesis://us-east-1',
    });
  });

  it('refuses Kinesis for the topics (the lake sink names objects by Kafka offsets) and unknown schemes in config', () => {
    assert.throws(() => parseConfig({ log: { url: 'kinesis://us-east-1' } }), /log\.url: must start with sqlite: or kafka:\/\//);
    assert.throws(() => parseConfig({ streams: { url: 'http://x' } }), /streams\.url: must start with sqlite: or kafka:\/\/ or kinesis:\/\//);
  });

  it('opening an unreachable Kafka fails with LOG_UNAVAILABLE naming the cause', async () => {
    const cfg = parseConfig({ log: { kafka: { requestTimeoutMs: 1000 } } });
    await assert.rejects(openLogUrl('kafka://127.0.0.1:1', cfg.log), (err: unknown) => isError(err, 'LOG_UNAVAILABLE') && /ECONNREFUSED/.test(err.message));
  });
});
