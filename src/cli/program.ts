import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { EXIT, reportFailure } from './fail.js';

/** pinpipe's version, from its package.json (two levels up from both src/cli and dist/cli). */
export function version(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/** The root `pinpipe` command with the global options every command takes. */
export function createProgram(): Command {
  return new Command('pinpipe')
    .description('pinpipe: an event data pipeline on one machine (REST Proxy / Kinesis ingest → log → lake → Delta batch and stream jobs)')
    .option('--data-dir <dir>', 'state directory: the log and the lake (default ./pinpipe-data, or PINPIPE_DATA_DIR)')
    .option('--prefix <name>', 'deployment prefix of topic, stream and table names (default pinterest)')
    .option('--config <file>', 'JSON config file (default ./pinpipe.config.json if present)')
    .option('--log <url>', "the topics' log: sqlite:<dir> or kafka://host:port[,host:port…] (default sqlite:<data-dir>/log, or PINPIPE_LOG_URL)")
    .option('--streams <url>', "the streams' log: like --log, or kinesis://<region> (default: the --log one, or PINPIPE_STREAMS_URL)")
    .option('--verbose', 'print stack traces and debug logs')
    .version(version(), '-V, --version', 'print the version')
    .addHelpText(
      'after',
      `
Examples:
  $ pinpipe up --emulate                          # the whole pipeline and a demo data source
  $ pinpipe query popular_category_by_country     # a result set of the batch job
  $ pinpipe sql "select count(*) from pin"        # DuckDB SQL over the Delta tables
  $ pinpipe tail pinterest.pin --from-beginning   # print a topic's records

Exit codes: 0 ok, 1 failure, 2 usage or configuration error (docs/errors.md).`,
    );
}

/** Add an "Examples:" section to a command's --help. */
export function examples(cmd: Command, lines: readonly string[]): Command {
  return cmd.addHelpText('after', `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}`);
}

function* allCommands(cmd: Command): Generator<Command> {
  yield cmd;
  for (const sub of cmd.commands) yield* allCommands(sub);
}

function path(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/**
 * Parse argv and run the command. Usage errors print one line with a pointer to the command's
 * help and exit with 2; failures print one line (the stack only with --verbose) and exit with 1,
 * or 2 for configuration errors.
 */
export async function run(program: Command, argv: readonly string[]): Promise<void> {
  for (const cmd of allCommands(program)) {
    cmd
      .exitOverride()
      .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
      .configureOutput({ outputError: (str, write) => write(`${str.trim().replace(/\s*\n\s*/g, ' ')} (see: ${path(cmd)} --help)\n`) });
  }
  const verbose = argv.includes('--verbose');
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      const ok = err.code === 'commander.helpDisplayed' || err.code === 'commander.version';
      process.exitCode = ok ? EXIT.ok : EXIT.usage;
      return;
    }
    process.exitCode = reportFailure(err, verbose);
  }
}
