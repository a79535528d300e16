// Prepares what the real-peer tests download, so tests do not spend their timeouts on it: the
// cached Python venvs (by requirements name) and, for `kafka`, the broker's jars (Maven).
// Usage: node --import tsx scripts/peers/warm.ts <requirements name | kafka> ...   (e.g. moto kafka)
import { kafkaClassPath, KAFKA_VERSION } from '../../test/helpers/peers/kafka-jars.js';
import { pythonVenv } from '../../test/helpers/peers/python-venv.js';

for (const name of process.argv.slice(2)) {
  const started = Date.now();
  const took = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  if (name === 'kafka') {
    const jars = await kafkaClassPath();
    if (!jars.ok) {
      console.error(`kafka ${KAFKA_VERSION} jars: ${jars.error}`);
      process.exit(1);
    }
    console.log(`kafka ${KAFKA_VERSION} jars: ${jars.classPath.split(':').length} on the class path (${took()})`);
    continue;
  }
  const made = await pythonVenv(name);
  if (!made.ok) {
    console.error(`venv ${name}: ${made.error}`);
    process.exit(1);
  }
  console.log(`venv ${name}: ${made.venv.dir} (${took()})`);
}
