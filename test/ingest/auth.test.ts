import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { KAFKA_JSON, makeApp, type TestApp } from '../helpers/app.js';

const body = '{"records":[{"value":{"a":1}}]}';

describe('API keys', () => {
  let t: TestApp;
  before(async () => {
    t = await makeApp({ api: { apiKeys: ['secret-key-1', 'secret-key-2'] } });
  });
  after(async () => t.close());
  const post = (headers: Record<string, string>) =>
    t.app.inject({ method: 'POST', url: '/topics/auth', headers: { 'content-type': KAFKA_JSON, ...headers }, payload: body });

  it('refuses a request without a key with 401', async () => {
    const res = await post({});
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().error_code, 40101);
  });
  it('refuses a wrong key with 403', async () => {
    for (const h of [{ authorization: 'Bearer nope' }, { 'x-api-key': 'secret-key-3' }, { 'x-api-key': 'secret-key-1x' }] as Record<string, string>[]) {
      const res = await post(h);
      assert.equal(res.statusCode, 403);
      assert.equal(res.json().error_code, 40301);
    }
  });
  it('accepts any configured key as Bearer or X-API-Key', async () => {
    assert.equal((await post({ authorization: 'Bearer secret-key-1' })).statusCode, 200);
    assert.equal((await post({ 'x-api-key': 'secret-key-2' })).statusCode, 200);
  });
  it('keeps /health open and /metrics closed', async () => {
    assert.equal((await t.app.inject({ url: '/health' })).statusCode, 200);
    assert.equal((await t.app.inject({ url: '/metrics' })).statusCode, 401);
  });
});

describe('no API keys configured', () => {
  it('accepts requests without credentials', async () => {
    const t = await makeApp();
    try {
      const res = await t.app.inject({ method: 'POST', url: '/topics/open', headers: { 'content-type': KAFKA_JSON }, payload: body });
      assert.equal(res.statusCode, 200);
    } finally {
      await t.close();
    }
  });
});
