import { after, before } from 'node:test';
import { freePort, peerMissing, waitFor } from './peer.js';
import { spawnPeer, type PeerProcess } from './process.js';
import { pythonVenv } from './python-venv.js';

/** A running `moto_server` (S3, Kinesis and the rest of AWS, in memory) on a loopback port. */
export interface MotoServer {
  /** `http://127.0.0.1:<port>`: the endpoint to give the AWS SDKs. */
  url: string;
  port: number;
  region: string;
  /** Environment for a child process using the standard AWS chain: endpoint, region and dummy credentials. */
  env: Record<string, string>;
  /** Forget every bucket, stream and object (moto's `/moto-api/reset`). */
  reset(): Promise<void>;
  output(): string;
  stop(): Promise<void>;
}

/** Dummy credentials: moto accepts any, the SDKs need some. */
export const MOTO_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

/**
 * Prepare the moto peer: builds (once, cached) the venv of `scripts/peers/requirements/moto.txt`.
 * `skip` is false when moto can start, else the reason (and under PINPIPE_REQUIRE_PEERS=1 this throws).
 * @example const moto = await motoPeer(); describe('on moto', { skip: moto.skip }, () => { const m = moto.use(); … m().url … });
 */
export async function motoPeer(): Promise<{ skip: string | false; start: () => Promise<MotoServer>; use: () => () => MotoServer }> {
  const made = await pythonVenv('moto');
  const skip = made.ok ? false : peerMissing('moto_server', made.error);
  const start = async (): Promise<MotoServer> => {
    if (!made.ok) throw new Error(`moto is not available: ${made.error}`);
    return startMoto(made.venv.bin('moto_server'));
  };
  /** Register before/after hooks in the current suite: one moto for the suite; call the getter inside tests. */
  const use = () => {
    let server: MotoServer | undefined;
    before(async () => {
      server = await start();
    });
    after(() => server?.stop());
    return () => {
      if (!server) throw new Error('moto is only running inside the tests of the suite that called use()');
      return server;
    };
  };
  return { skip, start, use };
}

/** Start `moto_server` on a free loopback port and wait until it answers. */
async function startMoto(bin: string, region = 'us-east-1'): Promise<MotoServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const peer: PeerProcess = spawnPeer(bin, ['-H', '127.0.0.1', '-p', String(port)], { env: { ...process.env, PYTHONUNBUFFERED: '1' } });
  try {
    await waitFor(
      `moto_server on ${url}`,
      async () => {
        if (peer.exited()) throw new Error(`moto_server exited:\n${peer.output()}`);
        const res = await fetch(`${url}/moto-api/data.json`);
        await res.arrayBuffer();
        return res.ok;
      },
      { timeoutMs: 60_000, intervalMs: 100 },
    );
  } catch (err) {
    await peer.stop('SIGKILL');
    throw err;
  }
  return {
    url,
    port,
    region,
    env: {
      AWS_ENDPOINT_URL: url,
      AWS_REGION: region,
      AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
    },
    async reset() {
      const res = await fetch(`${url}/moto-api/reset`, { method: 'POST' });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`moto reset failed: HTTP ${res.status}`);
    },
    output: peer.output,
    stop: () => peer.stop(),
  };
}
