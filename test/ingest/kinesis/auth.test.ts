import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makeApp, type TestApp } from '../../helpers/app.js';
import { kinesis } from './kinesis-helpers.js';

const KEY = 'AKIAPINPIPETESTKEY01';
/** A SigV4 header with a made-up signature (well formed: 64 hex digits). */
const sigv4 = (accessKeyId: string) => {
  const now = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
  return {
    'x-amz-date': now,
    authorization: `AWS4-HMAC-SHA256 Credential=${accessKeyId}/${now.slice(0, 8)}/us-east-1/kinesis/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'ab'.repeat(32)}`,
  };
};

describe('Kinesis routes with API keys configured', () => {
  let t: TestApp;
  before(async () => {
    t = await makeApp({ api: { apiKeys: [KEY] } });
  });
  after(async () => t.close());

  it('refuse a SigV4 header whose access key id is a configured key but whose signature is made up, on the Kinesis and the REST routes', async () => {
    const r = await kinesis(t.app, 'ListStreams', {}, sigv4(KEY));
    assert.deepEqual([r.status, r.body.__type], [400, 'InvalidSignatureException']);
    const rest = await t.app.inject({
      method: 'POST',
      url: '/topics/t',
      headers: { 'content-type': 'application/vnd.kafka.json.v2+json', ...sigv4(KEY) },
      payload: '{"records":[{"value":1}]}',
    });
    assert.deepEqual([rest.statusCode, rest.json().error_code], [403, 40302]);
    const gateway = await t.app.inject({ method: 'GET', url: '/streams', headers: sigv4(KEY) });
    assert.deepEqual([gateway.statusCode, gateway.json().__type], [403, 'InvalidSignatureException']);
    assert.equal((await kinesis(t.app, 'CreateStream', { StreamName: 'auth' }, { authorization: `Bearer ${KEY}` })).status, 200);
  });

  it('refuse a missing or unknown key with 400 and the error types AWS uses', async () => {
    const none = await kinesis(t.app, 'ListStreams', {});
    assert.deepEqual([none.status, none.body.__type, none.body.message], [400, 'MissingAuthenticationTokenException', 'Missing Authentication Token']);
    const wrong = await kinesis(t.app, 'ListStreams', {}, { 'x-api-key': 'AKIAWRONGWRONGWRONG1' });
    assert.deepEqual([wrong.status, wrong.body.__type], [400, 'UnrecognizedClientException']);
    assert.deepEqual(Object.keys(wrong.body).sort(), ['__type', 'message']);
  });

  it('refuse the gateway routes with 401/403 in the Kinesis shape', async () => {
    const none = await t.app.inject({ method: 'GET', url: '/streams' });
    assert.deepEqual([none.statusCode, none.json().__type], [401, 'MissingAuthenticationTokenException']);
    const wrong = await t.app.inject({
      method: 'PUT',
      url: '/streams/auth/record',
      headers: { 'content-type': 'application/json', 'x-api-key': 'not-the-key' },
      payload: '{"Data":1,"PartitionKey":"k"}',
    });
    assert.deepEqual([wrong.statusCode, wrong.json().__type], [403, 'UnrecognizedClientException']);
    const ok = await t.app.inject({
      method: 'PUT',
      url: '/streams/auth/record',
      headers: { 'content-type': 'application/json', 'x-api-key': KEY },
      payload: '{"Data":1,"PartitionKey":"k"}',
    });
    assert.equal(ok.statusCode, 200);
  });
});
