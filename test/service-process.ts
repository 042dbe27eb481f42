/**
 * Runs `esq serve` as a real child process on a loopback port, for tests that need a process
 * boundary (remote hooks, crash recovery).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';

import { existsSync } from 'node:fs';

// Built tests run the built CLI; tests run from source (node --import tsx) run the TypeScript one.
const built = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const CLI_ARGS = existsSync(built) ? [built] : ['--import', 'tsx', fileURLToPath(new URL('../src/cli/main.ts', import.meta.url))];

export interface ServiceProcess {
  url: string;
  adminKey: string;
  child: ChildProcess;
  output: () => string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function startServiceProcess(opts: { home: string; port?: number; pack?: string; env?: Record<string, string>; adminKey?: string }): Promise<ServiceProcess> {
  const adminKey = opts.adminKey ?? `esq_test_${randomBytes(24).toString('base64url')}`;
  const args = [...CLI_ARGS, 'serve', '--port', String(opts.port ?? 0), '--host', '127.0.0.1', ...(opts.pack ? ['--pack', opts.pack] : [])];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ESQ_HOME: opts.home, ESQ_ADMIN_KEY: adminKey, ESQ_LOG_LEVEL: 'warn', NO_COLOR: '1', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`service did not start within 20 s:\n${out}`)), 20_000);
    const check = () => {
      const m = /service on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`service exited with ${code} before it was ready:\n${out}`));
    });
  });
  return {
    url,
    adminKey,
    child,
    output: () => out,
    stop: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill(signal);
      }),
  };
}
