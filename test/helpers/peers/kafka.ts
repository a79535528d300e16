import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { Admin } from '@platformatic/kafka';
import { KAFKA_VERSION, kafkaClassPath } from './kafka-jars.js';
import { freePort, peerMissing, waitFor } from './peer.js';
import { spawnPeer, type PeerProcess } from './process.js';

/** A running single-node Kafka (KRaft, broker and controller in one JVM) on loopback ports. */
export interface KafkaBroker {
  /** `127.0.0.1:<port>`: the bootstrap server. */
  bootstrap: string;
  /** `kafka://127.0.0.1:<port>`: what `--log` takes. */
  url: string;
  port: number;
  version: string;
  /** The broker's own log (warnings and errors) and what the JVM printed. */
  output(): string;
  /** Stop the broker, keeping its data and ports (for failure tests); `start` brings it back. */
  pause(): Promise<void>;
  /** Start a paused broker again on the same port with the same data; resolves when it serves. */
  resume(): Promise<void>;
  /** Stop the broker and delete its data. */
  stop(): Promise<void>;
}

/**
 * JVM settings for a test broker: a modest heap (the machines have 2 cores and many tests), the
 * serial collector and the C1 compiler only (a test broker lives seconds to minutes, so a fast
 * start beats peak speed).
 */
const JVM_OPTS = ['-Xms64m', '-Xmx384m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-XX:-UsePerfData', '-Djava.awt.headless=true'];

const serverProperties = (port: number, controllerPort: number, logDir: string): string =>
  [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    `log.dirs=${logDir}`,
    'auto.create.topics.enable=false',
    'num.partitions=1',
    'num.network.threads=2',
    'num.io.threads=2',
    'background.threads=2',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=4',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'transaction.state.log.num.partitions=2',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    '',
  ].join('\n');

const log4j = (file: string): string =>
  [
    'status = error',
    'appender.file.type = File',
    'appender.file.name = file',
    `appender.file.fileName = ${file}`,
    'appender.file.layout.type = PatternLayout',
    'appender.file.layout.pattern = [%d] %p %m (%c)%n',
    'rootLogger.level = warn',
    'rootLogger.appenderRef.file.ref = file',
    '',
  ].join('\n');

/**
 * Prepare the Kafka peer: resolves (once, cached) the broker's jars with Maven. `skip` is false
 * when a broker can start, else the reason (under PINPIPE_REQUIRE_PEERS=1 this throws).
 * @example const kafka = await kafkaPeer(); describe('on Kafka', { skip: kafka.skip }, () => { const k = kafka.use(); … k().bootstrap … });
 */
export async function kafkaPeer(): Promise<{ skip: string | false; start: () => Promise<KafkaBroker>; use: () => () => KafkaBroker }> {
  const jars = await kafkaClassPath();
  const skip = jars.ok ? false : peerMissing(`Kafka ${KAFKA_VERSION} broker`, jars.error);
  const start = async (): Promise<KafkaBroker> => {
    if (!jars.ok) throw new Error(`Kafka is not available: ${jars.error}`);
    return startKafka(jars.classPath);
  };
  /** Register before/after hooks in the current suite: one broker for the suite; call the getter inside tests. */
  const use = () => {
    let broker: KafkaBroker | undefined;
    before(async () => {
      broker = await start();
    });
    after(() => broker?.stop());
    return () => {
      if (!broker) throw new Error('Kafka is only running inside the tests of the suite that called use()');
      return broker;
    };
  };
  return { skip, start, use };
}

/** Format a fresh KRaft storage directory and start the broker on free loopback ports; resolves once it serves metadata. */
async function startKafka(classPath: string): Promise<KafkaBroker> {
  const [port, controllerPort] = [await freePort(), await freePort()];
  const dir = mkdtempSync(join(tmpdir(), 'pinpipe-kafka-'));
  const config = join(dir, 'server.properties');
  const brokerLog = join(dir, 'broker.log');
  mkdirSync(join(dir, 'data'));
  writeFileSync(config, serverProperties(port, controllerPort, join(dir, 'data')));
  writeFileSync(join(dir, 'log4j2.properties'), log4j(brokerLog));
  const java = [...JVM_OPTS, `-Dlog4j2.configurationFile=${join(dir, 'log4j2.properties')}`, '-cp', classPath];
  let clusterId = randomBytes(16).toString('base64url');
  while (clusterId.startsWith('-')) clusterId = randomBytes(16).toString('base64url'); // StorageTool would take it for an option
  const format = spawnSync('java', [...java, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', config], { encoding: 'utf8', timeout: 120_000 });
  if (format.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`kafka.tools.StorageTool format failed: ${format.stdout}${format.stderr}${format.error?.message ?? ''}`);
  }
  const bootstrap = `127.0.0.1:${port}`;
  let peer: PeerProcess | undefined;
  const output = () => `${peer?.output() ?? ''}${readTail(brokerLog)}`;
  const launch = async () => {
    peer = spawnPeer('java', [...java, 'kafka.Kafka', config]);
    const running = peer;
    try {
      await waitFor(`Kafka broker on ${bootstrap}`, () => serves(bootstrap, () => running.exited(), output), { timeoutMs: 120_000, intervalMs: 250 });
    } catch (err) {
      await running.stop('SIGKILL');
      throw err;
    }
  };
  const halt = async () => {
    await peer?.stop('SIGTERM', 20_000);
  };
  try {
    await launch();
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    bootstrap,
    url: `kafka://${bootstrap}`,
    port,
    version: KAFKA_VERSION,
    output,
    pause: halt,
    resume: launch,
    async stop() {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Whether the broker answers a metadata request listing itself (throws if its process exited). */
async function serves(bootstrap: string, exited: () => boolean, output: () => string): Promise<boolean> {
  if (exited()) throw new Error(`the Kafka broker exited:\n${output()}`);
  const admin = new Admin({ clientId: 'pinpipe-test-ready', bootstrapBrokers: [bootstrap], timeout: 2000, retries: 0 });
  try {
    const md = await admin.metadata({ topics: [] });
    return md.brokers.size > 0;
  } finally {
    await admin.close().catch(() => undefined);
  }
}

function readTail(file: string): string {
  try {
    return readFileSync(file, 'utf8').slice(-16_384);
  } catch {
    return '';
  }
}
