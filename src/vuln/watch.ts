/**
 * `esq scan --watch`: rescans on an interval and whenever a watched file (the lockfile, the
 * database) changes, printing one line per change in the envelope's style:
 *
 *   [12:00] Image sha256:ab3f… CLEAN
 *   [12:15] Image sha256:ab3f… unchanged
 *   [12:30] CVE-2024-12345 found (High) in lodash 4.17.20 → fix 4.17.21 available
 *   [12:30] lunch-subsidy-svc cordoned: CVE-2024-12345 (Critical) in lodash 4.17.20 in a pii-high service
 *
 * Time comes from an injected clock, so tests drive the loop without sleeping.
 */
import { quarantinePolicy, type QuarantineSink } from './quarantine.js';
import { subjectOf } from './report/table.js';
import { isClean, severityLabel, type Finding, type ScanResult, type Severity } from './types.js';

export interface Clock {
  now(): Date;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => new Date(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** Starts watching files; returns a function that stops. */
export type FileWatch = (paths: string[], onChange: (path: string) => void) => () => void;

export interface WatchQuarantine {
  service: string;
  classification?: string;
  minSeverity?: Severity;
  sink: QuarantineSink;
  /** Asked before a quarantine is lifted; the lead wires it to the approval machinery. */
  approveLift: (service: string, resolved: Finding[]) => Promise<boolean>;
}

export interface WatchOptions {
  /** One full scan: re-reads the inventory and the database each time. */
  scan: () => Promise<ScanResult>;
  intervalMs: number;
  print: (line: string) => void;
  clock?: Clock;
  /** Files whose change triggers a rescan, and how to watch them. */
  files?: { paths: () => string[]; watch: FileWatch };
  /** Rescans after a file change wait this long for more changes. Default 500 ms. */
  debounceMs?: number;
  quarantine?: WatchQuarantine;
}

export function clockTime(d: Date): string {
  return `[${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}]`;
}

const keyOf = (f: Finding): string => `${f.id}\0${f.package.ecosystem}\0${f.package.name}\0${f.package.version}`;

export function foundLine(f: Finding): string {
  const fix = f.fixedIn ? `fix ${f.fixedIn} available` : f.lastAffected ? `no fixed version (last affected ${f.lastAffected})` : 'no fix available yet';
  return `${f.id} found (${severityLabel(f.severity.level)}) in ${f.package.name} ${f.package.version} → ${fix}`;
}

export class ScanWatcher {
  private readonly clock: Clock;
  private previous: ScanResult | undefined;
  private warnings = new Set<string>();
  private timer: unknown;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private unwatch: (() => void) | undefined;
  private watched = '';
  private cordoned: boolean;
  private liftPending = false;

  constructor(private readonly o: WatchOptions) {
    this.clock = o.clock ?? systemClock;
    this.cordoned = o.quarantine?.sink.isCordoned?.(o.quarantine.service) ?? false;
  }

  /** The latest successful scan. */
  get last(): ScanResult | undefined {
    return this.previous;
  }

  /** Runs the first scan, then keeps scanning on the interval and on file changes. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.runNow();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.unwatch?.();
    this.unwatch = undefined;
  }

  /** A watched file changed: rescan soon (changes close together make one scan). */
  trigger(): void {
    if (this.stopped) return;
    this.schedule(this.o.debounceMs ?? 500);
  }

  /** Resolves once no scan is running or queued to run at once. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private schedule(ms: number): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      void this.runNow();
    }, ms);
  }

  private runNow(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.once();
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.running = undefined;
      if (!this.stopped) this.schedule(this.o.intervalMs);
    });
    return this.running;
  }

  private line(text: string): void {
    this.o.print(`${clockTime(this.clock.now())} ${text}`);
  }

  private async once(): Promise<void> {
    let r: ScanResult;
    try {
      r = await this.o.scan();
    } catch (e) {
      this.line(`scan failed: ${(e as Error).message.split('\n')[0]} (previous result kept; not CLEAN)`);
      return;
    }
    this.refreshWatch();
    const prev = this.previous;
    this.previous = r;
    const subject = subjectOf(r);
    const before = new Map((prev?.findings ?? []).map((f) => [keyOf(f), f]));
    const now = new Map(r.findings.map((f) => [keyOf(f), f]));
    const found = r.findings.filter((f) => !before.has(keyOf(f)));
    const resolved = [...before.values()].filter((f) => !now.has(keyOf(f)));
    const changes: string[] = [...found.map(foundLine), ...resolved.map((f) => `${f.id} resolved (${f.package.name} ${f.package.version} is no longer installed or affected)`)];
    const uneval = r.unevaluated.length;
    if (uneval !== (prev?.unevaluated.length ?? 0)) changes.push(`${uneval} package(s) could not be evaluated${uneval ? ' — not CLEAN' : ''}`);

    if (!prev && isClean(r)) this.line(`${subject} CLEAN`);
    else if (changes.length === 0) this.line(`${subject} unchanged${r.findings.length ? ` (${r.findings.length} finding${r.findings.length === 1 ? '' : 's'})` : ''}`);
    else {
      // A change that leaves nothing behind says so on its last line, not on a line of its own.
      changes.forEach((c, i) => this.line(i === changes.length - 1 && isClean(r) ? `${c} — ${subject} CLEAN` : c));
    }
    for (const w of r.warnings) if (!this.warnings.has(w)) this.line(`warning: ${w}`);
    this.warnings = new Set(r.warnings);
    await this.applyQuarantine(r, resolved);
  }

  private async applyQuarantine(r: ScanResult, resolved: Finding[]): Promise<void> {
    const q = this.o.quarantine;
    if (!q) return;
    const d = quarantinePolicy(r.findings, { ...(q.classification ? { classification: q.classification } : {}), ...(q.minSeverity ? { minSeverity: q.minSeverity } : {}) });
    if (d.cordon) {
      this.liftPending = false;
      if (!this.cordoned) {
        await q.sink.cordon(q.service, d.reason, d.findings);
        this.cordoned = true;
        this.line(`${q.service} cordoned: ${d.reason}`);
      }
      return;
    }
    if (!this.cordoned) return;
    if (await q.approveLift(q.service, resolved)) {
      await q.sink.lift(q.service);
      this.cordoned = false;
      this.liftPending = false;
      this.line(`${q.service} quarantine lifted`);
    } else if (!this.liftPending) {
      this.liftPending = true;
      this.line(`${q.service} stays cordoned until the lift is approved`);
    }
  }

  private refreshWatch(): void {
    if (!this.o.files || this.stopped) return;
    const paths = [...new Set(this.o.files.paths())].sort();
    const key = paths.join('\0');
    if (key === this.watched) return;
    this.unwatch?.();
    this.watched = key;
    this.unwatch = this.o.files.watch(paths, () => this.trigger());
  }
}
