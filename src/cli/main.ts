#!/usr/bin/env node
// The `pinpipe` command. Command files import their heavy modules (DuckDB, fastify, faker, the
// log) inside their actions, so `pinpipe --help` loads only commander.
import { registerAdmin } from './commands/admin.js';
import { registerBatch } from './commands/batch.js';
import { registerDag } from './commands/dag.js';
import { registerData } from './commands/data.js';
import { registerSql } from './commands/sql.js';
import { registerExport } from './commands/export.js';
import { registerStatus } from './commands/status.js';
import { registerTail } from './commands/tail.js';
import { registerStream } from './commands/stream.js';
import { registerServe } from './commands/serve.js';
import { registerUp } from './commands/up.js';
import type { GlobalOptions } from './globals.js';
import { createProgram, run } from './program.js';

const program = createProgram();
const globals = (): GlobalOptions => program.opts<GlobalOptions>();
registerUp(program, globals);
registerServe(program, globals);
registerData(program, globals);
registerAdmin(program, globals);
registerBatch(program, globals);
registerStream(program, globals);
registerStatus(program, globals);
registerSql(program, globals);
registerTail(program, globals);
registerDag(program, globals);
registerExport(program);

await run(program, process.argv);
