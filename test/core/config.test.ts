import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { envOverrides, loadConfig, parseConfig, sinkTopicsRegex } from '../../src/core/config.js';
import { isError } from '../../src/core/errors.js';
import { tempDir } from '../helpers/temp.js';

describe('config', () => {
  it('has defaults a newcomer can run with', () => {
    const c = parseConfig({});
    assert.equal(c.prefix, 'pinterest');
    assert.equal(c.api.host, '127.0.0.1');
    assert.equal(c.sink.flushSize, 1000);
    assert.equal(sinkTopicsRegex(c), 'pinterest\\..*');
    assert.ok(Object.isFrozen(c) && Object.isFrozen(c.api));
  });

  it('rejects unknown keys and bad values, listing every problem', () => {
    assert.throws(
      () => parseConfig({ api: { prot: 1 } }),
      (e) => isError(e, 'CONFIG_INVALID') && /api/.test(e.message),
    );
    assert.throws(
      () => parseConfig({ nope: true }),
      (e) => isError(e, 'CONFIG_INVALID'),
    );
    assert.throws(
      () => parseConfig({ prefix: '../x', sink: { flushSize: 0 } }),
      (e) => isError(e, 'CONFIG_INVALID') && /prefix/.test(e.message) && /sink\.flushSize/.test(e.message),
    );
  });

  it('refuses a prefix whose topic or stream names would be too long (streaming-<prefix>-user at most 128), and a sink regex that does not compile', () => {
    assert.equal(parseConfig({ prefix: 'p'.repeat(113) }).prefix.length, 113);
    for (const prefix of ['p'.repeat(114), 'p'.repeat(240)])
      assert.throws(
        () => parseConfig({ prefix }),
        (e) => isError(e, 'CONFIG_INVALID') && /prefix: must be at most 113 characters/.test(e.message),
      );
    assert.throws(
      () => parseConfig({ sink: { topicsRegex: '(' } }),
      (e) => isError(e, 'CONFIG_INVALID') && /sink\.topicsRegex/.test(e.message),
    );
  });

  it('maps PINPIPE_* variables onto sections and keys', () => {
    assert.deepEqual(
      envOverrides({
        PINPIPE_API_PORT: '9000',
        PINPIPE_SINK_FLUSH_SIZE: '1',
        PINPIPE_PREFIX: '0a1b2c3d4e5f',
        PINPIPE_LOG_LEVEL: 'warn',
        PINPIPE_API_API_KEYS: '["abcdefgh1"]',
        PINPIPE_REQUIRE_PEERS: '1',
        HOME: '/root',
      }),
      {
        api: { port: 9000, apiKeys: ['abcdefgh1'] },
        sink: { flushSize: 1 },
        prefix: '0a1b2c3d4e5f',
        logLevel: 'warn',
      },
    );
  });

  it('layers defaults ← file ← env ← options', () => {
    const { dir, cleanup } = tempDir();
    try {
      const file = join(dir, 'pinpipe.config.json');
      writeFileSync(file, JSON.stringify({ prefix: 'fromfile', api: { port: 1111 }, sink: { flushSize: 5 } }));
      const c = loadConfig({ configPath: file, env: { PINPIPE_API_PORT: '2222' }, overrides: { sink: { flushSize: 7 } } });
      assert.deepEqual([c.prefix, c.api.port, c.sink.flushSize, c.api.host], ['fromfile', 2222, 7, '127.0.0.1']);
      writeFileSync(file, '{oops');
      assert.throws(
        () => loadConfig({ configPath: file, env: {} }),
        (e) => isError(e, 'CONFIG_INVALID'),
      );
    } finally {
      cleanup();
    }
  });
});
