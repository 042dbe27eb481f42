/**
 * Network isolation on Linux: the service runs in its own network namespace, where the only
 * interfaces are loopback and the only way out is a relay to the sidecar's egress proxy. Needs
 * `unshare --net`, `ip` and `nsenter` (root or CAP_SYS_ADMIN); where they are missing, egress
 * control is advisory and `esq wrap` says so.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { childExecArgv } from './exec-argv.js';

export type NetnsSupport = { ok: true } | { ok: false; why: string };

let cached: NetnsSupport | undefined;

/** Probes once whether this process may create a network namespace and bring its loopback up. */
export function netnsSupport(): NetnsSupport {
  if (cached) return cached;
  if (process.platform !== 'linux') return (cached = { ok: false, why: 'network namespaces are Linux-only' });
  const probe = spawnSync('unshare', ['--net', '--', 'ip', 'link', 'set', 'lo', 'up'], { encoding: 'utf8', timeout: 5000 });
  if (probe.error) return (cached = { ok: false, why: `unshare unavailable (${(probe.error as NodeJS.ErrnoException).code ?? probe.error.message})` });
  if (probe.status !== 0) return (cached = { ok: false, why: `unshare --net refused: ${(probe.stderr || '').trim().split('\n')[0] || `exit ${probe.status}`}` });
  const ns = spawnSync('nsenter', ['--version'], { encoding: 'utf8', timeout: 5000 });
  if (ns.error || ns.status !== 0) return (cached = { ok: false, why: 'nsenter unavailable' });
  return (cached = { ok: true });
}

/** How to run a sibling module as a script, from source (tsx) or from dist. */
function scriptArgs(name: string): string[] {
  const here = fileURLToPath(import.meta.url);
  const file = join(here, '..', `${name}${extname(here)}`);
  return [...childExecArgv(), file];
}

export interface NetnsBridge {
  /** The namespace holder's pid: `nsenter --net=/proc/<pid>/ns/net` joins it. */
  pid: number;
  close(): Promise<void>;
}

export async function startNetnsBridge(spec: { upstream: { socket: string; port: number }; egress?: { port: number; socket: string } }): Promise<NetnsBridge> {
  const child = spawn('unshare', ['--net', '--', 'sh', '-c', 'ip link set lo up && exec "$0" "$@"', process.execPath, ...scriptArgs('bridge-main'), JSON.stringify(spec)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const ready = new Promise<void>((resolve, reject) => {
    lines.once('line', (l) => (l === 'ready' ? resolve() : reject(new Error(`network bridge said: ${l}`))));
    child.once('exit', (code) => reject(new Error(`network bridge exited (${code}) before it was ready`)));
    child.once('error', reject);
  });
  const timeout = setTimeout(() => child.kill('SIGKILL'), 10_000);
  try {
    await ready;
  } finally {
    clearTimeout(timeout);
  }
  return {
    pid: child.pid!,
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.stdin!.end();
      const exited = once(child, 'exit');
      const kill = setTimeout(() => child.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(kill);
    },
  };
}

/** Spawns `command` inside the bridge's namespace. */
export function spawnInNamespace(bridge: NetnsBridge, command: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn('nsenter', [`--net=/proc/${bridge.pid}/ns/net`, '--', ...command], { stdio: 'inherit', env });
}
