import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { KinesisClient, PutRecordCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { parseConfig, streamNames } from '../../../src/core/config.js';
import { createLogger } from '../../../src/core/logger.js';
import { generateRow } from '../../../src/emulator/index.js';
import { StreamJob, streamTableKeys } from '../../../src/jobs/stream/index.js';
import { LocalObjectStore } from '../../../src/lake/local/local-store.js';
import { RECORD_KINDS, type RecordKind } from '../../../src/transforms/index.js';
import { makeApp, type TestApp } from '../../helpers/app.js';
import { readDeltaTableIndependently } from '../../helpers/independent-delta.js';
import { peerMissing } from '../../helpers/server.js';
import { expectedRows, sortByInd } from './helpers.js';

const PREFIX = '0a1b2c3d4e5f';
const STREAMS = streamNames(PREFIX);
const TABLES = streamTableKeys(PREFIX);
const run = promisify(execFile);
const has = (module: string) => spawnSync('python3', ['-c', `import ${module}`], { stdio: 'ignore' }).status === 0;
const PY_ENV = {
  ...process.env,
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  NO_PROXY: '127.0.0.1,localhost',
  no_proxy: '127.0.0.1,localhost',
};

// The original project's stream sender (user_posting_emulation_streaming.py): one PUT per record, json.dumps payloads.
const REQUESTS = `
import json, sys
import requests
base, prefix, path = sys.argv[1], sys.argv[2], sys.argv[3]
codes = []
for line in open(path, encoding="utf-8"):
    rec = json.loads(line)
    kind = rec.pop("__kind")
    stream = f"streaming-{prefix}-{kind}"
    payload = json.dumps({"StreamName": stream, "Data": rec, "PartitionKey": "partition-1"}, default=str)
    r = requests.request("PUT", f"{base}/streams/{stream}/record", headers={"Content-Type": "application/json"}, data=payload)
    codes.append(r.status_code)
print(json.dumps(codes))
`;

// boto3 PutRecord and PutRecords against pinpipe's Kinesis API.
const BOTO3 = `
import json, sys
import boto3
from botocore.config import Config
url, stream, path = sys.argv[1], sys.argv[2], sys.argv[3]
k = boto3.client("kinesis", endpoint_url=url, region_name="us-east-1", aws_access_key_id="AKIAPINPIPESTREAM001", aws_secret_access_key="x", config=Config(retries={"max_attempts": 1}))
recs = [line.rstrip("\\n") for line in open(path, encoding="utf-8")]
k.put_record(StreamName=stream, Data=recs[0].encode(), PartitionKey="one")
r = k.put_records(StreamName=stream, Records=[{"Data": t.encode(), "PartitionKey": "p-%d" % i} for i, t in enumerate(recs[1:])])
print(json.dumps({"failed": r["FailedRecordCount"]}))
`;

const python = async (script: string, args: string[]): Promise<any> =>
  JSON.parse((await run('python3', ['-c', script, ...args], { env: PY_ENV, timeout: 120_000 })).stdout);

let t: TestApp;
let url: string;
let job: StreamJob;
const sent: Record<RecordKind, string[]> = { pin: [], geo: [], user: [] };

before(async () => {
  t = await makeApp({ prefix: PREFIX });
  url = await t.app.listen({ port: 0, host: '127.0.0.1' });
  const config = parseConfig({ prefix: PREFIX, stream: { minIntervalMs: 20 } }).stream;
  job = new StreamJob({
    log: t.log,
    store: new LocalObjectStore(join(t.dir, 'lake'), { fsync: false }),
    prefix: PREFIX,
    config,
    logger: createLogger('silent'),
  });
  await job.start();
});
after(async () => {
  await job.stop();
  await t.close();
});

async function checkTables(): Promise<void> {
  await job.caughtUp();
  for (const kind of RECORD_KINDS) {
    const table = await readDeltaTableIndependently(join(t.dir, 'lake', TABLES[kind]));
    assert.deepEqual(sortByInd(table.rows), expectedRows(kind, sent[kind], table.schema), kind);
    assert.equal(new Set(table.rows.map((r) => r.ind)).size, table.rows.length, `${kind}: one row per ind`);
  }
}

describe('records from real clients reach the Delta tables, cleaned, once each', () => {
  it(
    "Python requests with the original's PUT /streams/streaming-<prefix>-<kind>/record payloads",
    { skip: has('requests') ? false : peerMissing('python3 with requests') },
    async () => {
      const lines: string[] = [];
      for (let i = 0; i < 40; i++) {
        const row = generateRow((i * 37) % 25, 11); // repeats, as the emulator's sampling with replacement
        for (const kind of RECORD_KINDS) {
          lines.push(JSON.stringify({ ...row[kind], __kind: kind }));
          sent[kind].push(JSON.stringify(row[kind]));
        }
      }
      const file = join(t.dir, 'rows.jsonl');
      writeFileSync(file, lines.join('\n'));
      const codes = (await python(REQUESTS, [url, PREFIX, file])) as number[];
      assert.deepEqual(new Set(codes), new Set([200]));
      await checkTables();
    },
  );

  it('boto3 PutRecord and PutRecords', { skip: has('boto3') ? false : peerMissing('python3 with boto3') }, async () => {
    const texts = Array.from({ length: 30 }, (_, i) => JSON.stringify(generateRow(100 + (i % 20), 11).geo));
    texts.push('{"ind": "not a number"}');
    const file = join(t.dir, 'geo.jsonl');
    writeFileSync(file, texts.join('\n'));
    const out = await python(BOTO3, [url, STREAMS.geo, file]);
    assert.equal(out.failed, 0);
    sent.geo.push(...texts);
    await checkTables();
  });

  it('the AWS JS SDK v3 PutRecord and PutRecords', async () => {
    const kinesis = new KinesisClient({
      endpoint: url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIAPINPIPESTREAM002', secretAccessKey: 'x' },
      requestHandler: new NodeHttpHandler(),
      maxAttempts: 1,
    });
    try {
      const texts = Array.from({ length: 25 }, (_, i) => JSON.stringify(generateRow(200 + (i % 15), 11).user));
      await kinesis.send(new PutRecordCommand({ StreamName: STREAMS.user, PartitionKey: 'first', Data: Buffer.from(texts[0]) }));
      const r = await kinesis.send(
        new PutRecordsCommand({ StreamName: STREAMS.user, Records: texts.slice(1).map((d, i) => ({ PartitionKey: `k${i}`, Data: Buffer.from(d) })) }),
      );
      assert.equal(r.FailedRecordCount, 0);
      sent.user.push(...texts);
      await checkTables();
    } finally {
      kinesis.destroy();
    }
  });
});
