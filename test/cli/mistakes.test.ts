import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startPinpipe, type RunningServer } from '../helpers/server.js';
import { freePort } from '../helpers/peers/index.js';
import { tempDir } from '../helpers/temp.js';
import { pinpipe, type CliRun } from './helpers.js';

/**
 * Every usage mistake and environment problem a user meets: one line on stderr naming the problem
 * and the fix, the documented exit code (docs/errors.md: 1 failure, 2 usage or configuration), and
 * no stack trace.
 */
function assertOneLine(r: CliRun, exitCode: number, problem: RegExp, fix: RegExp): void {
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line on stderr, got:\n${r.stderr}`);
  assert.match(lines[0], /^error: /);
  assert.match(lines[0], problem);
  assert.match(lines[0], fix);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  assert.equal(r.code, exitCode, `exit code (stderr: ${r.stderr})`);
}

const t = tempDir('pinpipe-mistakes');
const missing = join(t.dir, 'no-such-dir');
let server: RunningServer | undefined;
let serverDir: string;

before(async () => {
  serverDir = join(t.dir, 'running');
  server = await startPinpipe(['--data-dir', serverDir, 'up', '--port', '0', '--no-batch', '--no-stream']);
});
after(async () => {
  await server?.stop();
  t.cleanup();
});

describe('usage mistakes: one line with the fix, exit code 2', () => {
  const cases: [string, string[], RegExp, RegExp][] = [
    ['a negative row count', ['generate', '--rows', '-5', '--out', join(t.dir, 'gen')], /--rows <n>' argument '-5' is invalid/, /whole number of 0 or more/],
    ['a rate that is not a number', ['emulate', '--rate', 'abc'], /--rate <n>' argument 'abc' is invalid/, /number greater than 0/],
    ['a rate of zero', ['emulate', '--rate', '0'], /--rate <n>' argument '0' is invalid/, /number greater than 0/],
    ['a batch size of zero', ['emulate', '--batch-size', '0'], /--batch-size <n>' argument '0' is invalid/, /whole number of 1 or more/],
    ['an unknown mode', ['emulate', '--mode', 'stram'], /--mode <mode>' argument 'stram' is invalid/, /Allowed choices are batch, stream/],
    ['an unknown format', ['query', '--format', 'xml'], /--format <format>' argument 'xml' is invalid/, /Allowed choices are table, json, csv/],
    ['a port out of range', ['up', '--port', '70000'], /--port <n>' argument '70000' is invalid/, /from 0 to 65535/],
    ['an unknown command', ['stauts'], /unknown command 'stauts'/, /see: pinpipe --help/],
    ['an unknown option', ['topics', '--jsn'], /unknown option '--jsn'/, /see: pinpipe topics --help/],
    ['a missing required option', ['generate'], /required option '--out <dir>' not specified/, /see: pinpipe generate --help/],
    ['a missing data dir (topics)', ['--data-dir', missing, 'topics'], /no pinpipe data dir at .*no-such-dir/, /pass the --data-dir that pinpipe up used/],
    ['a missing data dir (query)', ['--data-dir', missing, 'query', 'popular_category_by_country'], /no pinpipe data dir/, /--data-dir/],
    ['a missing data dir (batch run)', ['--data-dir', missing, 'batch', 'run'], /no pinpipe data dir/, /--data-dir/],
    ['a missing data dir (validate)', ['--data-dir', missing, 'validate'], /no pinpipe data dir/, /--data-dir/],
    [
      'an unknown result set',
      ['--data-dir', t.dir, 'query', 'popular_category'],
      /Unknown result set "popular_category"/,
      /Valid ids: popular_category_by_country/,
    ],
    ['an invalid date', ['--data-dir', t.dir, 'batch', 'run', '--date', '2026-13-45'], /date/i, /YYYY-MM-DD/],
    ['an invalid configuration value', ['config'], /api\.port/, /./],
  ];
  for (const [what, args, problem, fix] of cases) {
    it(what, async () => {
      const env: Record<string, string> = what.startsWith('an invalid configuration') ? { PINPIPE_API_PORT: '"eighty"' } : {};
      assertOneLine(await pinpipe(args, { env }), 2, problem, fix);
    });
  }
});

describe('environment problems: one line with the fix, exit code 1', () => {
  it('a port in use', async () => {
    const blocker = createServer();
    const port = await freePort();
    await new Promise<void>((ok) => blocker.listen(port, '127.0.0.1', ok));
    try {
      const r = await pinpipe(['--data-dir', join(t.dir, 'port'), 'up', '--port', String(port), '--no-batch']);
      assertOneLine(r, 1, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`), /choose another port with --port/);
    } finally {
      blocker.close();
    }
  });

  it('a second up on the same data dir names the holder', async () => {
    const r = await pinpipe(['--data-dir', serverDir, 'up', '--port', '0']);
    assertOneLine(r, 1, new RegExp(`is in use by pinpipe up \\(pid ${server!.proc.pid} on `), /stop that process, or use another --data-dir/);
  });

  it('nothing listening at the emulator URL', async () => {
    const r = await pinpipe(['emulate', '--url', `http://127.0.0.1:${await freePort()}`, '--iterations', '3', '--no-sleep']);
    assertOneLine(r, 1, /nothing answers at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/, /start it with pinpipe up, or pass the right --url/);
  });

  it('a data dir that is not writable (up and batch run)', async () => {
    const dir = join(t.dir, 'readonly');
    mkdirSync(join(dir, 'lake'), { recursive: true });
    writeFileSync(join(dir, 'lake', 'keep'), '');
    chmodSync(join(dir, 'lake'), 0o555);
    chmodSync(dir, 0o555);
    // root ignores permission bits: run the commands as nobody then.
    const as = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    try {
      for (const args of [
        ['up', '--port', '0'],
        ['batch', 'run'],
      ]) {
        const r = await pinpipe(['--data-dir', dir, ...args], as);
        assertOneLine(r, 1, /permission denied on .*readonly/, /make it writable by this user, or choose another --data-dir/);
      }
    } finally {
      chmodSync(dir, 0o755);
      chmodSync(join(dir, 'lake'), 0o755);
    }
  });
});

describe('--verbose', () => {
  it('adds the stack trace to the one line', async () => {
    const r = await pinpipe(['--verbose', '--data-dir', missing, 'topics']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error: no pinpipe data dir/);
    assert.match(r.stderr, /\n\s+at /);
  });
});
