/**
 * Bench servers in processes of their own: a bench file forks itself with `--esq-bench-role <role>`,
 * the child starts its server and sends `{ port }`, and the parent measures it from outside.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { childExecArgv } from '../src/envelope/wrap/exec-argv.js';

export const ROLE_FLAG = '--esq-bench-role';

/** The role this process was forked for, or undefined in the parent. */
export function benchRole(): string | undefined {
  return process.argv[2] === ROLE_FLAG ? process.argv[3] : undefined;
}

/** Forks `file` in `role` and waits for the port it listens on. `execArgv`: extra Node flags (profiling). */
export function forkRole(file: string, role: string, o: { env?: Record<string, string>; execArgv?: string[] } = {}): Promise<{ child: ChildProcess; port: number }> {
  // Loader flags only: an inline parent script (-e) must not run again in the child (see childExecArgv).
  const child = fork(file, [ROLE_FLAG, role], { execArgv: [...childExecArgv(), ...(o.execArgv ?? [])], env: { ...process.env, ESQ_LOG_LEVEL: 'warn', ...o.env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve({ child, port: (m as { port: number }).port }));
    child.once('exit', (code) => reject(new Error(`bench ${role} exited early (${code})`)));
  });
}
