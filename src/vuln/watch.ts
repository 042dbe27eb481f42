/**
 * `esq scan --watch`: rescans on an interval and whenever a watched file (the lockfile, the
 * database) changes, printing one line per change in the envelope's style:
 *
 *   [12:00] Image sha256:ab3f… CLEAN
 *   [12:15] Image sha256:ab3f… unchanged
 *   [12:30] CVE-2024-12345 found (Critical) in lodash 4.17.20 → fix 4.17.21 available
 *   [12:30] lunch-subsidy-svc cordoned: CVE-2024-12345 (Critical) in lodash 4.17.20 — Rule ENV-VULN-01 violated (…) · incident INC-…
 *
 * What a finding triggers is the policy engine's answer (the injected `QuarantineGate`); this
 * loop only keeps asking at the right moments and records the answers. Time comes from an
 * injected clock, so tests drive the loop without sleeping.
 */
import { quarantinedKey, type QuarantineRecords } from './quarantine.js';
import type { QuarantineGate } from './quarantine-gate.js';
import { worstFindings } from './quarantine-actions.js';
import { subjectOf } from './report/table.js';
import { isClean, severityLabel, type Finding, type ScanResult } from './types.js';

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
  /** Where the quarantine is recorded (quarantine.json, which the sidecar reads). */
  records: QuarantineRecords;
  /** The policy engine's answers: cordon or not, lift requests and their approvals. */
  gate: QuarantineGate;
  /** Operator override (`--auto-lift`): lift without an approval once the findings are gone. */
  autoLift?: boolean;
}

/** One scan as the loop saw it, for whoever records the last scan of a service. */
export interface ScanOutcome {
  at: Date;
  result?: ScanResult;
  error?: Error;
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
  /** Called after every scan (and its quarantine step), failed scans included. */
  onScanned?: (o: ScanOutcome) => void | Promise<void>;
}

export function clockTime(d: Date): string {
  return `[${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}]`;
}

const keyOf = (f: Finding): string => `${f.id}\0${f.package.ecosystem}\0${f.package.name}\0${f.package.version}`;
const heldKey = (f: Finding): string => quarantinedKey({ id: f.id, package: f.package.name, version: f.package.version });

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
  /** Findings the policy engine could not be asked about yet (service unreachable): asked again next scan. */
  private undecided = new Set<string>();

  constructor(private readonly o: WatchOptions) {
    this.clock = o.clock ?? systemClock;
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
      await this.report({ at: this.clock.now(), error: e as Error });
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
    if (this.o.quarantine) {
      try {
        await this.applyQuarantine(this.o.quarantine, r, found);
      } catch (e) {
        // The quarantine file is unreadable or the engine failed: say so; the next scan tries again.
        this.line(`${this.o.quarantine.service} quarantine step failed: ${(e as Error).message.split('\n')[0]}`);
      }
    }
    await this.report({ at: this.clock.now(), result: r });
  }

  private async report(o: ScanOutcome): Promise<void> {
    try {
      await this.o.onScanned?.(o);
    } catch (e) {
      this.line(`could not record the scan: ${(e as Error).message.split('\n')[0]}`);
    }
  }

  /**
   * Asks the engine about every new finding (a block cordons), and once the findings that cordoned
   * the service are gone, asks again about what is left, then raises the lift request and lifts
   * only when it is approved.
   */
  private async applyQuarantine(q: WatchQuarantine, r: ScanResult, found: Finding[]): Promise<void> {
    const present = new Map(r.findings.map((f) => [keyOf(f), f]));
    // Findings already holding a cordon were decided before (e.g. by this loop before a restart):
    // asking again would file the same incident twice.
    const holding = new Set((q.records.entry(q.service)?.findings ?? []).map(quarantinedKey));
    const ask = [...new Map([...found, ...[...this.undecided].flatMap((k) => present.get(k) ?? [])].map((f) => [keyOf(f), f])).values()].filter((f) => !holding.has(heldKey(f)));
    if (ask.length > 0) {
      let d;
      try {
        d = await q.gate.decide(ask);
      } catch (e) {
        this.undecided = new Set(ask.map(keyOf));
        this.line(`${q.service} quarantine not decided: ${(e as Error).message.split('\n')[0]} (asking again on the next scan)`);
        return;
      }
      this.undecided.clear();
      if (d.cordon) return this.cordon(q, ask, d);
    }

    const entry = q.records.entry(q.service);
    if (!entry) return;
    const held = new Set(r.findings.map(heldKey));
    if (entry.findings.some((t) => held.has(quarantinedKey(t)))) return; // still there: stays cordoned

    if (entry.lift) {
      const out = await q.gate.completeLift(entry.lift);
      if (out.status === 'lifted') {
        await q.records.lift(q.service);
        this.line(`${q.service} quarantine lifted (${out.reason})`);
      } else if (out.status !== 'pending') {
        q.records.amend(q.service, { lift: undefined, liftDenied: { at: this.clock.now().toISOString(), reason: out.reason, approvalId: entry.lift.approvalId } });
        this.line(`${q.service} stays cordoned: ${out.reason}; \`esq scan ${q.service} --lift\` asks again`);
      }
      return;
    }
    if (entry.liftDenied) return; // said when it happened; an operator asks again

    // What is left was decided along with worse findings: does it still cordon on its own?
    if (r.findings.length > 0) {
      const d = await q.gate.decide(r.findings);
      if (d.cordon) return this.cordon(q, r.findings, d);
    }
    if (q.autoLift) {
      await q.records.lift(q.service);
      this.line(`${q.service} quarantine lifted (--auto-lift: the findings that cordoned it are gone)`);
      return;
    }
    const req = await q.gate.requestLift({ advisories: entry.findings.map((f) => f.id), trigger: 'resolved' });
    if (req.status === 'approved') {
      await q.records.lift(q.service);
      this.line(`${q.service} quarantine lifted (${req.reason})`);
    } else if (req.status === 'pending') {
      q.records.amend(q.service, { lift: req.lift });
      this.line(`${q.service} stays cordoned until the lift is approved: approval ${req.lift.approvalId} needs ${req.required} approver${req.required === 1 ? '' : 's'}${req.expiresInSeconds ? ` within ${Math.round(req.expiresInSeconds / 3600)} h` : ''}`);
    } else {
      q.records.amend(q.service, { liftDenied: { at: this.clock.now().toISOString(), reason: req.reason } });
      this.line(`${q.service} stays cordoned: the lift was refused (${req.reason})`);
    }
  }

  private async cordon(q: WatchQuarantine, findings: Finding[], d: { reason: string; incidentId?: string }): Promise<void> {
    const worst = worstFindings(findings);
    const top = worst[0]!;
    const more = worst.length > 1 ? ` and ${worst.length - 1} more` : '';
    const already = q.records.entry(q.service) !== undefined;
    const reason = `${top.id} (${severityLabel(top.severity.level)}) in ${top.package.name} ${top.package.version}${more} — ${d.reason}`;
    // The findings at the worst severity hold the cordon; what is left is asked about once they are gone.
    await q.records.cordon(q.service, reason, worst, d.incidentId ? { incidentId: d.incidentId } : {});
    this.line(`${q.service} ${already ? 'stays cordoned' : 'cordoned'}: ${reason}${d.incidentId ? ` · incident ${d.incidentId}` : ''}`);
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
