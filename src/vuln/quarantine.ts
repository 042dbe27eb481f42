/**
 * What a finding triggers. `quarantinePolicy` decides; a `QuarantineSink` acts (the lead wires
 * one to the sidecar's 503 and to incidents/approvals). `FileQuarantine` keeps the state in
 * `<ESQ_HOME>/scanner/quarantine.json`, written atomically, and forwards to another sink.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigError } from '../errors.js';
import { severityLabel, severityRank, type Finding, type Severity } from './types.js';

export interface QuarantineSink {
  cordon(service: string, reason: string, findings: Finding[]): Promise<void> | void;
  lift(service: string): Promise<void> | void;
  /** Whether the service is cordoned now, when the sink knows. */
  isCordoned?(service: string): boolean;
}

export interface QuarantineDecision {
  cordon: boolean;
  reason: string;
  /** The findings that triggered it. */
  findings: Finding[];
}

/**
 * The lowest severity that cordons a service of each classification when the caller sets no
 * `minSeverity`: services holding regulated data are pulled on a critical; others are not pulled
 * automatically.
 */
export const DEFAULT_QUARANTINE_SEVERITY: Record<string, Severity> = {
  'pii-high': 'critical',
  phi: 'critical',
  'phi-high': 'critical',
  pci: 'critical',
  restricted: 'critical',
  secret: 'critical',
};

export function quarantinePolicy(findings: Finding[], o: { classification?: string; minSeverity?: Severity }): QuarantineDecision {
  const cls = o.classification ?? 'unclassified';
  const min = o.minSeverity ?? DEFAULT_QUARANTINE_SEVERITY[cls];
  if (!min) return { cordon: false, reason: `classification ${cls} is not quarantined automatically`, findings: [] };
  // Unknown severity does not pull a service (a scan gate fails closed on it instead).
  const hits = findings.filter((f) => f.severity.level !== 'unknown' && severityRank(f.severity.level) >= severityRank(min));
  if (hits.length === 0) return { cordon: false, reason: `no ${min} or worse findings`, findings: [] };
  const top = hits[0]!;
  const more = hits.length > 1 ? ` and ${hits.length - 1} more` : '';
  return {
    cordon: true,
    reason: `${top.id} (${severityLabel(top.severity.level)}) in ${top.package.name} ${top.package.version}${more} in a ${cls} service`,
    findings: hits,
  };
}

export interface QuarantineEntry {
  since: string;
  reason: string;
  findings: Array<{ id: string; package: string; version: string; severity: Severity; fixedIn?: string }>;
}

export interface QuarantineState {
  version: 1;
  services: Record<string, QuarantineEntry>;
}

export function defaultQuarantinePath(home: string): string {
  return join(home, 'scanner', 'quarantine.json');
}

/** Writes through a temporary file and a rename, so readers never see half a file. */
export function writeJsonAtomic(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, path);
}

export class FileQuarantine implements QuarantineSink {
  constructor(
    readonly path: string,
    private readonly next?: QuarantineSink,
    private readonly now: () => Date = () => new Date(),
  ) {}

  state(): QuarantineState {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch {
      return { version: 1, services: {} };
    }
    try {
      const s = JSON.parse(text) as QuarantineState;
      if (s.version !== 1 || typeof s.services !== 'object' || s.services === null) throw new Error('unexpected shape');
      return s;
    } catch (e) {
      throw new ConfigError(`${this.path} is not a quarantine state file (${(e as Error).message}); fix or remove it`);
    }
  }

  isCordoned(service: string): boolean {
    return service in this.state().services;
  }

  async cordon(service: string, reason: string, findings: Finding[]): Promise<void> {
    const s = this.state();
    s.services[service] = {
      since: s.services[service]?.since ?? this.now().toISOString(),
      reason,
      findings: findings.map((f) => ({ id: f.id, package: f.package.name, version: f.package.version, severity: f.severity.level, ...(f.fixedIn ? { fixedIn: f.fixedIn } : {}) })),
    };
    writeJsonAtomic(this.path, s);
    await this.next?.cordon(service, reason, findings);
  }

  async lift(service: string): Promise<void> {
    const s = this.state();
    delete s.services[service];
    writeJsonAtomic(this.path, s);
    await this.next?.lift(service);
  }
}
