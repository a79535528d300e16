#!/usr/bin/env node
import { Command } from 'commander';
import { PinpipeError } from '../core/errors.js';
import { registerAdmin } from './commands/admin.js';
import { registerBatch } from './commands/batch.js';
import { registerData } from './commands/data.js';
import { registerStatus } from './commands/status.js';
import { registerStream } from './commands/stream.js';
import { registerUp } from './commands/up.js';
import type { GlobalOptions } from './runtime.js';

const program = new Command('pinpipe')
  .description('pinpipe: an end-to-end event data pipeline (REST/Kinesis ingest → log → lake → Delta batch & stream jobs)')
  .option('--data-dir <dir>', 'state directory (log, lake); default ./pinpipe-data')
  .option('--prefix <name>', 'deployment prefix for topic, stream and table names; default pinterest')
  .option('--config <file>', 'JSON config file; default ./pinpipe.config.json if present')
  .showHelpAfterError();

const globals = (): GlobalOptions => program.opts<GlobalOptions>();
registerUp(program, globals);
registerData(program, globals);
registerAdmin(program, globals);
registerBatch(program, globals);
registerStream(program, globals);
registerStatus(program, globals);

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof PinpipeError) {
    process.stderr.write(`error: ${err.message}\n`);
    process.exit(2);
  }
  throw err;
});
