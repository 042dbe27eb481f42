/**
 * Runs one `esq` subcommand in a child process, the way main.ts would (same error mapping and
 * exit codes), for the envelope commands' tests before main.ts registers them.
 *   runCli('./pki.js', 'registerPki', ['pki', 'list'], env)
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { childExecArgv } from '../../envelope/wrap/exec-argv.js';
import { EXIT } from '../exit-codes.js';
import { failWith } from '../io.js';

const SELF = fileURLToPath(import.meta.url);

export function runCli(module: string, register: string, args: string[], env: Record<string, string> = {}, timeoutMs = 20_000): Promise<{ code: number | null; out: string; err: string }> {
  const loader = childExecArgv();
  const target = fileURLToPath(new URL(module.replace(/\.js$/, SELF.endsWith('.ts') ? '.ts' : '.js'), import.meta.url));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...loader, SELF, target, register, ...args], { env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

async function main(): Promise<number> {
  const [target, register, ...args] = process.argv.slice(2);
  const mod = (await import(target!)) as Record<string, (p: Command) => void>;
  const program = new Command('esq');
  mod[register!]!(program);
  const override = (c: Command): void => {
    c.exitOverride();
    c.commands.forEach(override);
  };
  override(program);
  try {
    await program.parseAsync(['node', 'esq', ...args]);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.OK;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    return failWith(e, args.includes('--json'));
  }
}

if (process.argv[1] === SELF) process.exitCode = await main();
