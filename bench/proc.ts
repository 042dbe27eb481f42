/**
 * What the serving processes of a bench cost, read from /proc (Linux): CPU per process or per
 * thread, memory, children. Every reader returns null where /proc is not there.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** VmRSS and VmHWM (MB) summed over processes, from /proc; null where /proc is not there. */
export function memory(pids: number[]): { rssMb: number | null; peakRssMb: number | null } {
  let rss = 0;
  let hwm = 0;
  try {
    for (const pid of pids) {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      rss += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      hwm += Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
    }
  } catch {
    return { rssMb: null, peakRssMb: null };
  }
  return { rssMb: Math.round(rss / 102.4) / 10, peakRssMb: Math.round(hwm / 102.4) / 10 };
}

const TICK_MICROS = 10_000; // USER_HZ is 100 on Linux

export interface Cpu {
  user: number;
  system: number;
}

/**
 * User and system CPU of processes, in microseconds, from /proc/<pid>/stat; null without /proc.
 * `thread: 'main'` reads only each process's main thread (/proc/<pid>/task/<pid>/stat).
 */
export function cpuMicros(pids: number[], o: { thread?: 'all' | 'main' } = {}): Cpu | null {
  try {
    const t = { user: 0, system: 0 };
    for (const pid of pids) {
      const stat = readFileSync(o.thread === 'main' ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      t.user += Number(f[11]) * TICK_MICROS; // utime (field 14)
      t.system += Number(f[12]) * TICK_MICROS; // stime (field 15)
    }
    return t;
  } catch {
    return null;
  }
}

export function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) out.push(Number(d));
    } catch {
      // the process went away while we looked
    }
  }
  return out;
}
