import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KinesisClient, UpdateShardCountCommand } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { parseConfig } from '../../../src/core/config.js';
import { isError } from '../../../src/core/errors.js';
import { openLogUrl } from '../../../src/log/index.js';
import type { Log } from '../../../src/log/log.js';
import { MOTO_CREDENTIALS, motoPeer, type MotoServer } from '../../helpers/peers/moto.js';
import { landed, runLogContract, uniqueTopic } from '../log-contract.js';

const moto = await motoPeer();

/** The Kinesis log on moto, opened the way pinpipe opens `--streams kinesis://<region>` (endpoint and credentials from the AWS environment). */
async function kinesisLogOn(m: MotoServer): Promise<Log> {
  Object.assign(process.env, m.env);
  const cfg = parseConfig({});
  return openLogUrl(`kinesis://${m.region}`, cfg.log, cfg.streams);
}

describe('on moto (Kinesis)', { skip: moto.skip }, () => {
  const server = moto.use();
  runLogContract('kinesis', async () => {
    const log = await kinesisLogOn(server());
    return { log, reopen: () => kinesisLogOn(server()), cleanup: async () => undefined };
  });

  it('refuses a resharded stream with KINESIS_RESHARDED', { timeout: 60_000 }, async () => {
    const m = server();
    const log = await kinesisLogOn(m);
    const aws = new KinesisClient({ endpoint: m.url, region: m.region, credentials: MOTO_CREDENTIALS, requestHandler: new NodeHttpHandler() });
    try {
      const stream = uniqueTopic('reshard');
      await log.createTopic(stream, { partitions: 1 });
      landed(await log.append(stream, [{ value: '1' }]));
      await aws.send(new UpdateShardCountCommand({ StreamName: stream, TargetShardCount: 2, ScalingType: 'UNIFORM_SCALING' }));
      const reopened = await kinesisLogOn(m);
      try {
        await assert.rejects(reopened.append(stream, [{ value: '2' }]), (err: unknown) => isError(err, 'KINESIS_RESHARDED') && err.message.includes(stream));
      } finally {
        await reopened.close();
      }
    } finally {
      aws.destroy();
      await log.close();
    }
  });
});
