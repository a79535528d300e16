import { promises as fs } from 'node:fs';
import { join, resolve } from 'node:path';
import { SPARK_JOB_FILE, sparkJobSource } from '../../export/spark/spark-job.js';
import { version } from '../program.js';
import type { ExportSparkOptions } from './export.js';

/** Write the exported Spark job into `o.out` and print its path. */
export async function exportSparkCommand(o: ExportSparkOptions): Promise<void> {
  const dir = resolve(o.out);
  await fs.mkdir(dir, { recursive: true });
  const file = join(dir, SPARK_JOB_FILE);
  await fs.writeFile(file, sparkJobSource(version()));
  process.stdout.write(`${file}\n`);
}
