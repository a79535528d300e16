import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { PinpipeError } from '../core/errors.js';
import type { Dag, TaskContext, TaskSpec } from './dag.js';
import type { TaskExecutor } from './run-task.js';

/**
 * Run each attempt as a child process: `<command…> dag task <dag> <task> --date <ds>`, the same
 * command an exported Airflow DAG runs. Its output lines become the attempt's log; a non-zero
 * exit fails the attempt; a stop (timeout, shutdown) sends SIGTERM, then SIGKILL after
 * `killAfterMs`. The child gets an IPC channel and exits when its parent dies (kill -9).
 * @example subprocessExecutor([process.execPath, '/opt/pinpipe/dist/cli/main.js', '--data-dir', '/data'])
 */
export function subprocessExecutor(command: readonly string[], opts: { killAfterMs?: number } = {}): TaskExecutor {
  return {
    execute: (dag: Dag, task: TaskSpec, ctx: TaskContext) =>
      new Promise<void>((resolve, reject) => {
        const args = [...command.slice(1), 'dag', 'task', dag.id, task.id, '--date', ctx.ds];
        const child = spawn(command[0], args, { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], env: { ...process.env, PINPIPE_TASK_TRY: String(ctx.tryNumber) } });
        const tail: string[] = [];
        for (const stream of [child.stdout!, child.stderr!])
          createInterface({ input: stream }).on('line', (line) => {
            ctx.log(line);
            tail.push(line);
            if (tail.length > 3) tail.shift();
          });
        let killer: NodeJS.Timeout | undefined;
        const stop = (): void => {
          child.kill('SIGTERM');
          killer = setTimeout(() => child.kill('SIGKILL'), opts.killAfterMs ?? 5000);
        };
        ctx.signal.addEventListener('abort', stop, { once: true });
        child.on('error', (err) => reject(new PinpipeError('TASK_FAILED', `cannot start ${command[0]}: ${err.message}`)));
        child.on('close', (code, signal) => {
          clearTimeout(killer);
          ctx.signal.removeEventListener('abort', stop);
          if (code === 0) return resolve();
          const how = signal ? `was killed by ${signal}` : `exited with ${code}`;
          reject(new PinpipeError('TASK_FAILED', `pinpipe dag task ${task.id} ${how}${tail.length ? `: ${tail.join(' | ').slice(-500)}` : ''}`));
        });
      }),
  };
}
