import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makeApp, type TestApp } from '../../helpers/app.js';
import { kinesis } from './kinesis-helpers.js';

const KEY = 'AKIAPINPIPETESTKEY01';
const sigv4 = (accessKeyId: string) => ({
  authorization: `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20240101/us-east-1/kinesis/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc123`,
});

describe('Kinesis routes with API keys configured', () => {
  let t: TestApp;
  before(async () => {
    t = await makeApp({ api: { apiKeys: [KEY] } });
  });
  after(async () => t.close());

  it('accept a SigV4 request whose access key id is a configured key (the signature is not checked)', async () => {
    const r = await kinesis(t.app, 'ListStreams', {}, sigv4(KEY));
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal((await kinesis(t.app, 'CreateStream', { StreamName: 'auth' }, { authorization: `Bearer ${KEY}` })).status, 200);
  });

  it('refuse a missing or unknown key with 400 and the error types AWS uses', async () => {
    const none = await kinesis(t.app, 'ListStreams', {});
    assert.deepEqual([none.status, none.body.__type, none.body.message], [400, 'MissingAuthenticationTokenException', 'Missing Authentication Token']);
    const wrong = await kinesis(t.app, 'ListStreams', {}, sigv4('AKIAWRONGWRONGWRONG1'));
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
