/**
 * The scanner of one service: the continuous scan the sidecar runs in-process (and `esq scan
 * --watch SERVICE` runs in the foreground), plus the record of its last scan that `esq status`
 * reads: `<ESQ_HOME>/scanner/last-scan/<service>.json`, written atomically after every scan.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CveScanSummary } from '../envelope/wrap/status-report.js';
import type { Governor } from '../engine/governor.js';
import { InvalidInputError } from '../errors.js';
import type { RemoteGovernor } from '../hook/remote.js';
import { chokidarFiles } from './file-watch.js';
import { defaultDbPath } from './osv/db.js';
import { FileQuarantine, defaultQuarantinePath, writeJsonAtomic } from './quarantine.js';
import { defaultGate, type QuarantineGate } from './quarantine-gate.js';
import { scanTarget, type ScanTargetOptions } from './run.js';
import { isClean, severityLabel, type ScanResult, type Severity } from './types.js';
import { ScanWatcher, type Clock, type FileWatch, type ScanOutcome } from './watch.js';

/** The last scan of a service, as recorded. */
export interface LastScan extends CveScanSummary {
  high: number;
  total: number;
  summary: string;
  /** Whether the service was cordoned when the scan finished. */
  quarantined: boolean;
  /** Why it is cordoned. */
  reason?: string;
}

// Service names are DNS labels (schemas/envelope.schema.json); anything else could leave the folder.
const SERVICE_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export function lastScanPath(home: string, service: string): string {
  if (!SERVICE_NAME.test(service)) throw new InvalidInputError(`"${service}" is not a service name (lowercase letters, digits and dashes, as in the envelope file)`);
  return join(home, 'scanner', 'last-scan', `${service}.json`);
}

/** The summary of one scan outcome; `error` when the scan could not read its input or had no database. */
export function summarizeScan(o: ScanOutcome): CveScanSummary & { high: number; total: number; summary: string } {
  const at = (o.result ? new Date(o.result.scannedAt) : o.at).toISOString();
  if (!o.result) {
    const msg = o.error?.message.split('\n')[0] ?? 'scan failed';
    return { at, status: 'error', critical: 0, high: 0, total: 0, summary: `scan failed: ${msg}` };
  }
  const r = o.result;
  const count = (s: Severity): number => r.findings.filter((f) => f.severity.level === s).length;
  const critical = count('critical');
  const high = count('high');
  const total = r.findings.length;
  let summary: string;
  if (isClean(r)) summary = `CLEAN — no known vulnerabilities in ${r.packages} packages`;
  else if (total === 0) summary = `no findings, but ${r.unevaluated.length} package(s) could not be evaluated — not CLEAN`;
  else {
    const bySeverity = (['critical', 'high', 'medium', 'low', 'unknown'] as Severity[])
      .map((s) => [s, count(s)] as const)
      .filter(([, n]) => n > 0)
      .map(([s, n]) => `${n} ${severityLabel(s)}`)
      .join(', ');
    const top = r.findings[0]!;
    summary = `${total} finding${total === 1 ? '' : 's'} (${bySeverity}) in ${r.packages} packages; worst ${top.id} in ${top.package.name} ${top.package.version}${top.fixedIn ? ` → fix ${top.fixedIn}` : ''}`;
  }
  return { at, status: total > 0 ? 'findings' : isClean(r) ? 'clean' : 'error', critical, high, total, summary };
}

export function writeLastScan(home: string, service: string, scan: LastScan): void {
  writeJsonAtomic(lastScanPath(home, service), scan);
}

export function readLastScan(home: string, service: string): LastScan | undefined {
  let text: string;
  try {
    text = readFileSync(lastScanPath(home, service), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const s = JSON.parse(text) as LastScan;
    return typeof s.at === 'string' && typeof s.status === 'string' ? s : undefined;
  } catch {
    return undefined; // a torn or foreign file reads as "no scan recorded", never as CLEAN
  }
}

/** Records one scan outcome of a service, with its quarantine state at that moment. */
export function recordScan(home: string, service: string, o: ScanOutcome, quarantine = new FileQuarantine(defaultQuarantinePath(home))): LastScan {
  let entry: { reason: string } | undefined;
  let unreadable = false;
  try {
    entry = quarantine.entry(service);
  } catch {
    unreadable = true; // the sidecar refuses traffic on an unreadable file: report it the same way
  }
  const last: LastScan = { ...summarizeScan(o), quarantined: entry !== undefined || unreadable };
  if (entry) last.reason = entry.reason;
  else if (unreadable) last.reason = 'the quarantine file is unreadable';
  writeLastScan(home, service, last);
  return last;
}

export interface ServiceScannerOptions {
  home: string;
  service: string;
  classification: string;
  /** The service's folder (or lockfile, SBOM, image). */
  path: string;
  intervalMs: number;
  /** One line per change, in the envelope's style. */
  log?: (line: string) => void;
  /** Who decides quarantines: a governor (in-process) or the decision service. Default: ESQ_URL, else embedded. */
  governor?: Governor | RemoteGovernor;
  /** Instead of `governor`: any gate (tests). */
  gate?: QuarantineGate;
  /** Operator threshold (`--quarantine-on`), on top of the envelope pack's rules. */
  quarantineOn?: Severity;
  /** Operator override: lift without approval once the findings are gone. */
  autoLift?: boolean;
  clock?: Clock;
  /** How to scan (online source, image platform, database age), as `esq scan` takes them. */
  scanOptions?: Omit<ScanTargetOptions, 'home'>;
  /** Default: chokidar. `false`: rescan on the interval only. */
  watchFiles?: FileWatch | false;
}

export interface ServiceScanner {
  stop(): void;
  last(): LastScan | undefined;
  /** The latest successful scan, findings included. */
  result(): ScanResult | undefined;
  /** Resolves once no scan is running (tests). */
  idle(): Promise<void>;
}

/**
 * Starts scanning a service continuously: on the interval and when its lockfile or the database
 * changes. Resolves after the first scan is recorded. Without a vulnerability database the scan
 * records `error` ("no vulnerability database…") and keeps trying; it never records CLEAN.
 */
export async function startServiceScanner(o: ServiceScannerOptions): Promise<ServiceScanner> {
  lastScanPath(o.home, o.service); // refuse a bad name before anything starts
  const records = new FileQuarantine(defaultQuarantinePath(o.home));
  const gate =
    o.gate ??
    defaultGate({
      home: o.home,
      service: o.service,
      classification: o.classification,
      ...(o.quarantineOn ? { quarantineOn: o.quarantineOn } : {}),
      ...(o.governor ? { governor: o.governor } : {}),
      ...(o.clock ? { now: () => o.clock!.now() } : {}),
    });
  let last: LastScan | undefined;
  let files: string[] = [];
  const watch = o.watchFiles === undefined ? chokidarFiles : o.watchFiles;
  const watcher = new ScanWatcher({
    scan: async (): Promise<ScanResult> => {
      const { inventory, result } = await scanTarget(o.path, { ...(o.clock ? { now: () => o.clock!.now() } : {}), ...o.scanOptions, home: o.home });
      files = [...inventory.files, defaultDbPath(o.home)];
      return result;
    },
    intervalMs: o.intervalMs,
    print: (line) => o.log?.(line),
    ...(o.clock ? { clock: o.clock } : {}),
    ...(watch ? { files: { paths: () => files, watch } } : {}),
    quarantine: { service: o.service, records, gate, ...(o.autoLift ? { autoLift: true } : {}) },
    onScanned: (outcome) => {
      last = recordScan(o.home, o.service, outcome, records);
    },
  });
  await watcher.start();
  return { stop: () => watcher.stop(), last: () => last, result: () => watcher.last, idle: () => watcher.idle() };
}
