import { Option, type Command } from 'commander';
import type { GlobalOptions } from '../globals.js';
import { int } from '../options.js';
import { withFormat, type Format } from '../output.js';
import { examples } from '../program.js';

/** Options of `pinpipe sql` and `pinpipe rejects`. */
export interface SqlOptions {
  format?: Format;
  json?: boolean;
  kind?: 'pin' | 'geo' | 'user';
  layer?: 'batch' | 'stream' | 'all';
  limit?: number;
}

/** `pinpipe sql` (DuckDB SQL over the lake's Delta tables) and `pinpipe rejects` (the records the cleaning refused, with reasons). */
export function registerSql(program: Command, globals: () => GlobalOptions): void {
  const sql = program
    .command('sql')
    .description('run DuckDB SQL over the Delta tables and result sets, each a view by name; without a query, list the views')
    .argument('[query]', 'SQL, e.g. "select category, count(*) from pin group by 1"');
  withFormat(sql).action(async (query: string | undefined, o: SqlOptions) => (await import('./sql-action.js')).runSql(query, o, globals()));
  examples(sql, [
    'pinpipe sql                                   # the views: pin, geo, user, rejects, <prefix>_*_table, the result sets',
    'pinpipe sql "select count(*) from pin"',
    `pinpipe sql "select country, count(*) n from geo group by 1 order by n desc limit 5" --format csv`,
  ]);

  const rejects = program
    .command('rejects')
    .description('list rejected records (batch and stream) with the reason each was refused')
    .addOption(new Option('--kind <kind>', 'only records of this kind').choices(['pin', 'geo', 'user']))
    .addOption(new Option('--layer <layer>', 'the batch job, the stream job or both').choices(['batch', 'stream', 'all']).default('all'))
    .addOption(new Option('--limit <n>', 'print at most this many (0 = all)').argParser(int({ min: 0 })).default(100));
  withFormat(rejects).action(async (o: SqlOptions) => (await import('./sql-action.js')).runRejects(o, globals()));
  examples(rejects, ['pinpipe rejects', 'pinpipe rejects --kind pin --limit 0 --format csv']);
}
