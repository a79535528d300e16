// Builds the `spark` venv (pyspark, delta-spark, deltalake) and has Spark fetch the Delta jars
// from Maven once, into the peer cache, so the Spark tests spend their time testing.
// Usage: node --import tsx scripts/peers/warm-spark.ts
import { SparkPeer, sparkIvyDir, sparkVenv } from '../../test/helpers/peers/spark.js';

const started = Date.now();
const made = await sparkVenv();
if (!made.ok) {
  console.error(`spark venv: ${made.error}`);
  process.exit(1);
}
const venvSeconds = (Date.now() - started) / 1000;
const peer = SparkPeer.start(made.venv);
try {
  await peer.run('spark(); result = spark().version');
} finally {
  await peer.stop();
}
console.log(
  `spark: venv ${made.venv.dir} (${venvSeconds.toFixed(1)} s), jars in ${sparkIvyDir()} (${((Date.now() - started) / 1000 - venvSeconds).toFixed(1)} s)`,
);
