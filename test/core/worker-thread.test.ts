import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isError } from '../../src/core/errors.js';
import { spawnThread, ThreadCallError, ThreadClient } from '../../src/core/worker-thread.js';
import type { EchoRequest } from './fixtures/echo-worker.js';

const client = () =>
  new ThreadClient<EchoRequest>(
    () => spawnThread(import.meta.url, './fixtures/echo-worker', undefined),
    (err) => new Error(`echo thread stopped: ${err.message}`),
  );

describe('worker threads (ThreadClient / serveThread)', () => {
  it('answers calls in order, rebuilds a coded error thrown in the thread, and starts a new thread after one dies', async () => {
    const c = client();
    assert.deepEqual(await Promise.all([1, 2, 3].map((v) => c.call({ op: 'echo', v }))), [1, 2, 3]);
    const failed = await c.call({ op: 'fail' }).catch((e: unknown) => e);
    assert.ok(failed instanceof ThreadCallError);
    assert.ok(isError(failed.unwrap(), 'INVALID_BODY'));
    assert.equal(failed.unwrap().message, 'refused in the thread');
    const pending = c.call({ op: 'echo', v: 'queued behind the death' });
    await assert.rejects(c.call({ op: 'die' }), /echo thread stopped: exit code 3/);
    assert.equal(await pending, 'queued behind the death', 'a call answered before the death keeps its answer');
    assert.deepEqual(await c.call({ op: 'echo', v: { back: true } }), { back: true }, 'the next call starts a new thread');
    await c.close();
  });

  it('hands transferred buffers over without a copy', async () => {
    const c = client();
    const bytes = new Uint8Array([1, 2, 3]);
    const echoed = await c.call<Uint8Array>({ op: 'echo', v: bytes }, [bytes.buffer as ArrayBuffer]);
    assert.equal(bytes.byteLength, 0, 'the sender no longer holds the buffer');
    assert.deepEqual([...echoed], [1, 2, 3]);
    await c.close();
  });
});
