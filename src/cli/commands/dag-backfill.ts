import { parseLogicalDate } from '../../scheduler/index.js';
import type { GlobalOptions } from '../globals.js';
import { progress } from '../progress.js';
import { openDagCommands, waitHere } from './dag-open.js';

/** `pinpipe dag backfill ID --from D --to D`: a run per interval in the range, oldest first, with a progress bar on a terminal. */
export async function backfillDag(id: string, o: { from: string; to: string }, g: GlobalOptions): Promise<void> {
  const c = openDagCommands(g);
  try {
    const { queued, existing } = c.scheduler.backfill(id, parseLogicalDate(o.from), parseLogicalDate(o.to));
    process.stdout.write(`backfill ${id}: ${queued.length} runs queued${existing.length ? `, ${existing.length} dates already have a run` : ''}\n`);
    const bar = progress({ label: `backfill ${id}`, total: queued.length, unit: 'runs' });
    let done = 0;
    const runs = await waitHere(
      c.scheduler,
      queued.map((r) => r.runId),
      () => bar.update(++done),
    );
    bar.done();
    const failed = runs.filter((r) => r.state !== 'success').length;
    for (const r of runs) process.stdout.write(`  ${r.runId}  ${r.state}${r.error ? `  (${r.error})` : ''}\n`);
    process.stdout.write(`backfill ${id}: ${runs.length - failed} succeeded, ${failed} failed\n`);
    if (failed) process.exitCode = 1;
  } finally {
    await c.close();
  }
}
