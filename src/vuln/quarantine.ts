/**
 * Quarantine state: which services are cordoned, why, which findings put them there, and where
 * their lift stands. Kept in `<ESQ_HOME>/scanner/quarantine.json`, written atomically; the
 * sidecar reads it and answers 503 while its service is listed. Deciding *whether* to cordon or
 * lift is the policy engine's job (quarantine-gate.ts); this module only records.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Action } from '../engine/types.js';
import { ConfigError } from '../errors.js';
import type { Finding, Severity } from './types.js';

/** Somewhere else a cordon or a lift is announced (the lead may wire the sidecar or a webhook). */
export interface QuarantineSink {
  cordon(service: string, reason: string, findings: Finding[]): Promise<void> | void;
  lift(service: string): Promise<void> | void;
  /** Whether the service is cordoned now, when the sink knows. */
  isCordoned?(service: string): boolean;
}

/** A finding as the quarantine remembers it (no summary, no paths: what a reader needs to act). */
export interface QuarantinedFinding {
  id: string;
  package: string;
  version: string;
  severity: Severity;
  fixedIn?: string;
}

/** A lift waiting for its approval: the exact action the approval is for, resubmitted once approved. */
export interface PendingLift {
  approvalId: string;
  requestedAt: string;
  action: Action;
}

export interface QuarantineEntry {
  since: string;
  reason: string;
  /** The findings that put the service here; the lift is asked for once every one is gone. */
  findings: QuarantinedFinding[];
  /** The incident the policy engine filed for the cordon (embedded: a file under incidents/). */
  incidentId?: string;
  lift?: PendingLift;
  /** The last lift was denied, expired or refused: not asked again until an operator asks (`esq scan SERVICE --lift`). */
  liftDenied?: { at: string; reason: string; approvalId?: string };
}

export interface QuarantineState {
  version: 1;
  services: Record<string, QuarantineEntry>;
}

/** What the watch loop needs from the quarantine state. */
export interface QuarantineRecords {
  entry(service: string): QuarantineEntry | undefined;
  /** Cordons (or keeps cordoned with more findings); a pending or denied lift no longer applies. */
  cordon(service: string, reason: string, findings: Finding[], meta?: { incidentId?: string }): Promise<void>;
  /** Records where the lift stands; `undefined` clears a field. */
  amend(service: string, patch: { lift?: PendingLift | undefined; liftDenied?: QuarantineEntry['liftDenied'] | undefined }): void;
  lift(service: string): Promise<void>;
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

export const quarantinedKey = (f: Pick<QuarantinedFinding, 'id' | 'package' | 'version'>): string => `${f.id}\0${f.package}\0${f.version}`;

function remembered(f: Finding): QuarantinedFinding {
  return { id: f.id, package: f.package.name, version: f.package.version, severity: f.severity.level, ...(f.fixedIn ? { fixedIn: f.fixedIn } : {}) };
}

export class FileQuarantine implements QuarantineSink, QuarantineRecords {
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

  entry(service: string): QuarantineEntry | undefined {
    return this.state().services[service];
  }

  isCordoned(service: string): boolean {
    return service in this.state().services;
  }

  async cordon(service: string, reason: string, findings: Finding[], meta: { incidentId?: string } = {}): Promise<void> {
    const s = this.state();
    const prev = s.services[service];
    const merged = new Map((prev?.findings ?? []).map((f) => [quarantinedKey(f), f]));
    for (const f of findings.map(remembered)) merged.set(quarantinedKey(f), f);
    const entry: QuarantineEntry = { since: prev?.since ?? this.now().toISOString(), reason, findings: [...merged.values()] };
    const incidentId = meta.incidentId ?? prev?.incidentId;
    if (incidentId) entry.incidentId = incidentId;
    s.services[service] = entry;
    writeJsonAtomic(this.path, s);
    await this.next?.cordon(service, reason, findings);
  }

  amend(service: string, patch: { lift?: PendingLift | undefined; liftDenied?: QuarantineEntry['liftDenied'] | undefined }): void {
    const s = this.state();
    const e = s.services[service];
    if (!e) return;
    for (const k of ['lift', 'liftDenied'] as const) {
      if (!(k in patch)) continue;
      const v = patch[k];
      if (v === undefined) delete e[k];
      else (e as unknown as Record<string, unknown>)[k] = v;
    }
    writeJsonAtomic(this.path, s);
  }

  async lift(service: string): Promise<void> {
    const s = this.state();
    delete s.services[service];
    writeJsonAtomic(this.path, s);
    await this.next?.lift(service);
  }
}
