import { Worker } from 'node:worker_threads';
import { PinpipeError } from '../../core/errors.js';

/** Longest `topic_pattern` accepted (characters). */
export const MAX_TOPIC_PATTERN_LENGTH = 1000;

/** How long a pattern may take to match every topic name, counted once the matcher runs (a sane one takes microseconds). */
export const TOPIC_PATTERN_BUDGET_MS = 2000;

// Runs in a worker: compile, say so, match. A pattern that backtracks catastrophically burns this thread, never the server's.
const MATCHER = `const { parentPort, workerData } = require('node:worker_threads');
let re;
try { re = new RegExp('^(?:' + workerData.pattern + ')$'); } catch (err) { parentPort.postMessage({ invalid: String(err.message) }); }
if (re) {
  parentPort.postMessage({ started: true });
  parentPort.postMessage({ names: workerData.names.filter((n) => re.test(n)) });
}`;

/**
 * The names a consumer's `topic_pattern` (a JavaScript regular expression matching whole names)
 * selects. The match runs on a worker thread and is stopped after `budgetMs`, so a pattern such as
 * `(a+)+b` cannot stall the event loop: it is refused (INVALID_BODY), as is one that does not compile.
 * @example await matchTopicPattern('orders\\..*', ['orders.eu', 'users']) // ['orders.eu']
 */
export async function matchTopicPattern(pattern: string, names: readonly string[], budgetMs = TOPIC_PATTERN_BUDGET_MS): Promise<string[]> {
  if (pattern.length > MAX_TOPIC_PATTERN_LENGTH) throw new PinpipeError('INVALID_BODY', `topic_pattern is longer than ${MAX_TOPIC_PATTERN_LENGTH} characters.`);
  const worker = new Worker(MATCHER, { eval: true, workerData: { pattern, names } });
  try {
    return await new Promise<string[]>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      worker.on('message', (m: { invalid?: string; started?: true; names?: string[] }) => {
        if (m.invalid !== undefined) reject(new PinpipeError('INVALID_BODY', `Invalid topic_pattern: ${m.invalid}`));
        else if (m.started)
          timer = setTimeout(
            () =>
              reject(
                new PinpipeError(
                  'INVALID_BODY',
                  `topic_pattern took longer than ${budgetMs} ms to match ${names.length} topic names (a pattern that backtracks catastrophically, e.g. nested quantifiers such as (a+)+): simplify it.`,
                ),
              ),
            budgetMs,
          );
        else {
          clearTimeout(timer);
          resolve(m.names ?? []);
        }
      });
      worker.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      worker.on('exit', () => {
        clearTimeout(timer);
        reject(new PinpipeError('INTERNAL', 'The topic_pattern matcher stopped unexpectedly.'));
      });
    });
  } finally {
    await worker.terminate();
  }
}
