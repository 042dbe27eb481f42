/** The wrapped service's process: signals forwarded to it, its exit code handed back. */
import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';

// SIGUSR1 stays with Node (it starts the inspector).
const FORWARDED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR2'];

export function spawnChild(command: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(command[0]!, command.slice(1), { stdio: 'inherit', env });
}

/** The shell convention: the child's exit code, or 128 + the signal that ended it. */
export function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  return 128 + (signal ? (constants.signals[signal] ?? 0) : 0);
}

/** Forwards this process's signals to `child` until it exits; resolves with its exit code. */
export function superviseChild(child: ChildProcess, onSpawnError: (e: Error) => void = () => {}): Promise<number> {
  const forward = (sig: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(sig);
  };
  for (const s of FORWARDED) process.on(s, forward);
  return new Promise<number>((resolve) => {
    const done = (code: number) => {
      for (const s of FORWARDED) process.off(s, forward);
      resolve(code);
    };
    child.once('error', (e) => {
      onSpawnError(e);
      done(127); // the shell's "command not found"
    });
    child.once('exit', (code, signal) => done(exitCodeOf(code, signal)));
  });
}
