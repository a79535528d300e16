import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { generateRow } from '../../../src/emulator/index.js';
import { peerMissing } from '../../helpers/server.js';
import { makeApp, type TestApp } from '../../helpers/app.js';
import { readShard, unb64 } from './kinesis-helpers.js';

const run = promisify(execFile);
const has = (module: string) => spawnSync('python3', ['-c', `import ${module}`], { stdio: 'ignore' }).status === 0;
const KEY = 'AKIAPINPIPEBOTO30001';
// Keep Python away from the developer's AWS files and proxies.
const PY_ENV = {
  ...process.env,
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  NO_PROXY: '127.0.0.1,localhost',
  no_proxy: '127.0.0.1,localhost',
};

/** The server runs in this process: Python must run asynchronously (spawnSync would block the event loop it needs). */
async function python(script: string, args: string[]): Promise<any> {
  const { stdout } = await run('python3', ['-c', script, ...args], { env: PY_ENV, maxBuffer: 64 * 1024 * 1024, timeout: 60_000 });
  return JSON.parse(stdout);
}

const BOTO3 = `
import base64, datetime, json, sys
import boto3
from botocore.config import Config
url, key = sys.argv[1], sys.argv[2]
# The API key is the secret access key: pinpipe verifies the signature (the access key id is not checked).
k = boto3.client("kinesis", endpoint_url=url, region_name="us-east-1", aws_access_key_id="pinpipe",
                 aws_secret_access_key=key, config=Config(retries={"max_attempts": 1}))
out = {}
k.create_stream(StreamName="boto", ShardCount=3)
k.get_waiter("stream_exists").wait(StreamName="boto", WaiterConfig={"Delay": 1, "MaxAttempts": 5})
out["one"] = k.put_record(StreamName="boto", Data=json.dumps({"ind": 0, "country": "Côte d'Ivoire"}).encode(), PartitionKey="p-0")
out["many"] = k.put_records(StreamName="boto", Records=[{"Data": ('{"ind": %d}' % i).encode(), "PartitionKey": "p-%d" % i} for i in range(1, 31)])
out["bad"] = k.put_records(StreamName="boto", Records=[{"Data": b"ok", "PartitionKey": "a"}, {"Data": b"\\xff\\xfe", "PartitionKey": "b"}])
out["summary"] = k.describe_stream_summary(StreamName="boto")["StreamDescriptionSummary"]["OpenShardCount"]
out["records"] = []
for shard in k.list_shards(StreamName="boto")["Shards"]:
    it = k.get_shard_iterator(StreamName="boto", ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    r = k.get_records(ShardIterator=it, Limit=1000)
    for rec in r["Records"]:
        out["records"].append({"shard": shard["ShardId"], "seq": rec["SequenceNumber"], "key": rec["PartitionKey"], "data": rec["Data"].decode("utf-8"),
                               "arrival": rec["ApproximateArrivalTimestamp"].timestamp()})
    out.setdefault("behind", []).append(r["MillisBehindLatest"])
first = out["one"]
it = k.get_shard_iterator(StreamName="boto", ShardId=first["ShardId"], ShardIteratorType="AT_TIMESTAMP",
                          Timestamp=datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=1))["ShardIterator"]
out["future"] = k.get_records(ShardIterator=it)["Records"]
it = k.get_shard_iterator(StreamName="boto", ShardId=first["ShardId"], ShardIteratorType="AT_SEQUENCE_NUMBER", StartingSequenceNumber=first["SequenceNumber"])["ShardIterator"]
out["at_first"] = k.get_records(ShardIterator=it, Limit=1)["Records"][0]["SequenceNumber"]
errors = {}
try:
    k.describe_stream(StreamName="no-such-stream")
except k.exceptions.ResourceNotFoundException as e:
    errors["missing"] = [e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]]
try:
    k.create_stream(StreamName="boto", ShardCount=1)
except k.exceptions.ResourceInUseException as e:
    errors["exists"] = e.response["Error"]["Code"]
try:
    k.split_shard(StreamName="boto", ShardToSplit="shardId-000000000000", NewStartingHashKey="1")
except k.exceptions.InvalidArgumentException as e:
    errors["split"] = e.response["Error"]["Message"]
# The API key as the access key id with any other secret: a signature that does not verify.
stranger = boto3.client("kinesis", endpoint_url=url, region_name="us-east-1", aws_access_key_id=key,
                        aws_secret_access_key="x", config=Config(retries={"max_attempts": 1}))
try:
    stranger.list_streams()
except Exception as e:
    errors["stranger"] = [e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]]
out["errors"] = errors
# SigV4 on the REST routes (botocore signing a REST Proxy produce): verified the same way.
import urllib.request, urllib.error
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
def rest(secret):
    body = json.dumps({"records": [{"value": {"signed": True}}]}).encode()
    req = AWSRequest(method="POST", url=url + "/topics/signed", data=body, headers={"Content-Type": "application/vnd.kafka.json.v2+json"})
    SigV4Auth(Credentials(key, secret), "kafka-rest", "us-east-1").add_auth(req)
    try:
        with urllib.request.urlopen(urllib.request.Request(url + "/topics/signed", data=body, headers=dict(req.headers.items()), method="POST")) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return [e.code, json.loads(e.read())["error_code"]]
out["rest"] = {"good": rest(key), "forged": rest("x")}
print(json.dumps(out, default=str))
`;

// The original project's stream sender: one PUT per record to the API-Gateway Kinesis proxy.
const REQUESTS = `
import json, sys
import requests
base, prefix, path = sys.argv[1], sys.argv[2], sys.argv[3]
out = []
for line in open(path, encoding="utf-8"):
    rec = json.loads(line)
    kind = rec.pop("__kind")
    stream = f"streaming-{prefix}-{kind}"
    invoke_url = f"{base}/streams/{stream}/record"
    payload = json.dumps({"StreamName": stream, "Data": rec, "PartitionKey": "partition-1"}, default=str)
    headers = {"Content-Type": "application/json"}
    response = requests.request("PUT", invoke_url, headers=headers, data=payload)
    out.append({"kind": kind, "status": response.status_code, "body": response.json()})
batch = {"records": [{"data": {"ind": i}, "partition-key": "p-%d" % i} for i in range(3)]}
r = requests.put(f"{base}/streams/streaming-{prefix}-user/records", headers={"Content-Type": "application/json"}, data=json.dumps(batch))
out.append({"kind": "batch", "status": r.status_code, "body": r.json()})
print(json.dumps(out))
`;

describe('boto3 against a listening pinpipe', { skip: has('boto3') ? false : peerMissing('python3 with boto3') }, () => {
  let t: TestApp;
  let url: string;
  before(async () => {
    t = await makeApp({ api: { apiKeys: [KEY] } });
    url = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  after(async () => t.close());

  it('creates a stream, puts records, reads them back and gets the exceptions it knows', async () => {
    const out = await python(BOTO3, [url, KEY]);
    assert.match(out.one.SequenceNumber, /^49\d{54}$/);
    assert.equal(out.many.FailedRecordCount, 0);
    assert.equal(out.bad.FailedRecordCount, 1);
    assert.equal(out.bad.Records[1].ErrorCode, 'InvalidArgumentException');
    assert.equal(out.summary, 3);
    const recs = out.records as { shard: string; seq: string; key: string; data: string; arrival: number }[];
    assert.equal(recs.length, 1 + 30 + 1);
    assert.deepEqual(new Set(recs.map((r) => r.shard)).size, 3, 'thirty keys spread over three shards');
    const byKey = new Map(recs.map((r) => [r.key, r]));
    assert.deepEqual(JSON.parse(byKey.get('p-0')!.data), { ind: 0, country: "Côte d'Ivoire" });
    out.many.Records.forEach((r: { SequenceNumber: string; ShardId: string }, i: number) => {
      assert.equal(byKey.get(`p-${i + 1}`)!.seq, r.SequenceNumber);
      assert.equal(byKey.get(`p-${i + 1}`)!.shard, r.ShardId);
    });
    assert.ok(recs.every((r) => Math.abs(r.arrival * 1000 - Date.now()) < 60_000));
    assert.deepEqual(out.behind, [0, 0, 0]);
    assert.deepEqual(out.future, []);
    assert.equal(out.at_first, out.one.SequenceNumber);
    assert.deepEqual(out.errors.missing, ['ResourceNotFoundException', 400]);
    assert.equal(out.errors.exists, 'ResourceInUseException');
    assert.match(out.errors.split, /resharding is not supported/);
    assert.deepEqual(out.errors.stranger, ['InvalidSignatureException', 400], 'an API key as access key id is not enough: the signature is verified');
    assert.deepEqual(out.rest, { good: 200, forged: [403, 40302] });
  });
});

describe(
  "a Python requests client sending the original's API-Gateway payloads",
  { skip: has('requests') ? false : peerMissing('python3 with requests') },
  () => {
    let t: TestApp;
    let url: string;
    before(async () => {
      t = await makeApp({ prefix: '0a1b2c3d4e5f' });
      url = await t.app.listen({ port: 0, host: '127.0.0.1' });
    });
    after(async () => t.close());

    it('gets SequenceNumber/ShardId replies and the streams hold each record once, in order', async () => {
      const { writeFileSync } = await import('node:fs');
      const { join } = await import('node:path');
      const sent: { kind: 'pin' | 'geo' | 'user'; value: object }[] = [];
      for (let i = 0; i < 5; i++) {
        const row = generateRow(i * 101, 3);
        sent.push({ kind: 'pin', value: row.pin }, { kind: 'geo', value: row.geo }, { kind: 'user', value: row.user });
      }
      const input = join(t.dir, 'rows.jsonl');
      writeFileSync(input, sent.map((s) => JSON.stringify({ ...s.value, __kind: s.kind })).join('\n'));
      const replies = (await python(REQUESTS, [url, '0a1b2c3d4e5f', input])) as { kind: string; status: number; body: any }[];
      const last = new Map<string, string>();
      for (const r of replies.slice(0, -1)) {
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.deepEqual(Object.keys(r.body), ['SequenceNumber', 'ShardId']);
        assert.equal(r.body.ShardId, 'shardId-000000000000');
        assert.ok(!last.has(r.kind) || last.get(r.kind)! < r.body.SequenceNumber, 'increasing per stream');
        last.set(r.kind, r.body.SequenceNumber);
      }
      const batch = replies.at(-1)!;
      assert.equal(batch.status, 200);
      assert.equal(batch.body.FailedRecordCount, 0);
      assert.equal(batch.body.Records.length, 3);
      for (const kind of ['pin', 'geo', 'user'] as const) {
        const stored = (await readShard(t.app, `streaming-0a1b2c3d4e5f-${kind}`)).map((r) => [r.PartitionKey, JSON.parse(unb64(r.Data))]);
        const expected: unknown[] = sent.filter((s) => s.kind === kind).map((s) => ['partition-1', s.value]);
        if (kind === 'user') expected.push(...[0, 1, 2].map((i) => [`p-${i}`, { ind: i }]));
        assert.deepEqual(stored, expected, kind);
      }
    });
  },
);
