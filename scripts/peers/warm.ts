// Builds the cached Python venvs the real-peer tests use, so tests do not spend their timeouts on pip.
// Usage: node --import tsx scripts/peers/warm.ts <requirements name> ...   (e.g. moto)
import { pythonVenv } from '../../test/helpers/peers/python-venv.js';

for (const name of process.argv.slice(2)) {
  const started = Date.now();
  const made = await pythonVenv(name);
  if (!made.ok) {
    console.error(`venv ${name}: ${made.error}`);
    process.exit(1);
  }
  console.log(`venv ${name}: ${made.venv.dir} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}
