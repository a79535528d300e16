import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { peerCacheDir } from './peer.js';

/** The Apache Kafka release the tests run (KRaft, Java 17). */
export const KAFKA_VERSION = '4.1.1';
/** log4j2's binding for the broker's slf4j 1.x logging (the broker jar leaves the choice to its user). */
const LOG4J_VERSION = '2.24.3';

const pom = (version: string): string => `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>pinpipe.peers</groupId>
  <artifactId>kafka-broker</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>${version}</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j-impl</artifactId><version>${LOG4J_VERSION}</version></dependency>
  </dependencies>
</project>
`;

const tool = (cmd: string, args: string[]): string | undefined => {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return r.status === 0 ? undefined : `${cmd} ${args.join(' ')} failed: ${r.error?.message ?? r.stderr.slice(-500)}`;
};

/**
 * The broker's class path: `org.apache.kafka:kafka_2.13` and its runtime dependencies, resolved
 * once with Maven (from Maven Central) into `<peer cache>/kafka/<version>/` and reused after.
 * Concurrent callers wait for one resolver. Fails with the reason when Java or Maven is missing.
 * @example const jars = await kafkaClassPath(); if (!jars.ok) skip(peerMissing('Kafka', jars.error));
 */
export async function kafkaClassPath(
  version = KAFKA_VERSION,
  opts: { timeoutMs?: number } = {},
): Promise<{ ok: true; classPath: string } | { ok: false; error: string }> {
  const dir = peerCacheDir('kafka', version);
  const file = join(dir, 'classpath.txt');
  const done = join(dir, '.complete');
  const ready = () => existsSync(done) && existsSync(file);
  const cached = () => ({ ok: true as const, classPath: readFileSync(file, 'utf8').trim() });
  const missing = tool('java', ['-version']);
  if (missing) return { ok: false, error: missing };
  if (ready()) return cached();
  const mvnMissing = tool('mvn', ['-v']);
  if (mvnMissing) return { ok: false, error: mvnMissing };

  const lock = `${dir}.lock`;
  mkdirSync(peerCacheDir('kafka'), { recursive: true });
  const deadline = Date.now() + (opts.timeoutMs ?? 10 * 60_000);
  for (;;) {
    try {
      mkdirSync(lock); // atomic: one resolver at a time, across processes
      break;
    } catch {
      if (ready()) return cached();
      if (Date.now() > deadline) return { ok: false, error: `timed out waiting for ${lock} (remove it if no other test is resolving the Kafka jars)` };
      await sleep(1000);
    }
  }
  try {
    if (ready()) return cached();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'pom.xml'), pom(version));
    const mvn = spawnSync(
      'mvn',
      ['-B', '-q', '-f', join(dir, 'pom.xml'), `-Dmaven.repo.local=${join(dir, 'm2')}`, 'dependency:build-classpath', `-Dmdep.outputFile=${file}`],
      { encoding: 'utf8', timeout: opts.timeoutMs ?? 10 * 60_000 },
    );
    if (mvn.status !== 0 || !existsSync(file)) {
      rmSync(file, { force: true });
      return { ok: false, error: `mvn could not resolve kafka_2.13 ${version}: ${(mvn.stdout + mvn.stderr || mvn.error?.message || '').slice(-2000)}` };
    }
    writeFileSync(done, new Date().toISOString());
    return cached();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
