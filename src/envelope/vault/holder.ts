/** Which process holds something (a sidecar session, a run file): `host:pid`, and whether it still runs. */
import { hostname } from 'node:os';

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // alive, only not ours to signal
  }
}

export function currentHolder(): string {
  return `${hostname()}:${process.pid}`;
}

/** True only when the holder is a process on this host that has ended; another host's is never judged. */
export function holderGone(holder: string): boolean {
  const here = `${hostname()}:`;
  if (!holder.startsWith(here)) return false;
  const pid = Number(holder.slice(here.length));
  return Number.isInteger(pid) && pid > 0 && !processAlive(pid);
}
