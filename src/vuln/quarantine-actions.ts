/**
 * The scanner's questions to the policy engine, as Actions (schemas/action.schema.json). The
 * rules that answer them are in packs/envelope: `vuln.quarantine` (a block cordons the service)
 * and `vuln.quarantine.lift` (high risk: an approval before the service goes back in traffic).
 * Arguments carry advisory ids and counts, never package paths or file names; incidents keep
 * only keyed hashes of them.
 */
import type { Action } from '../engine/types.js';
import { severityRank, type Finding, type Severity } from './types.js';

export const QUARANTINE_ACTION = 'vuln.quarantine';
export const LIFT_ACTION = 'vuln.quarantine.lift';
/** Who asks: the scanner, whichever process runs it (`esq scan --watch` or the sidecar). */
export const SCANNER_PRINCIPAL = 'esq-scanner';

/** Advisory ids sent per question; the counts say how many there were in all. */
const MAX_ADVISORIES = 50;
const LEVELS: Severity[] = ['low', 'medium', 'high', 'critical'];

export interface ServiceRef {
  service: string;
  /** Data classification from the envelope file (`pii-high`, `phi`, …). */
  classification: string;
}

/** The worst severity among findings (`unknown` ranks below low: it reaches no threshold). */
export function highestSeverity(findings: readonly Finding[]): Severity {
  return findings.reduce<Severity>((m, f) => (severityRank(f.severity.level) > severityRank(m) ? f.severity.level : m), 'none');
}

/** Every threshold a severity reaches: high → [low, medium, high]. */
export function levelsReached(s: Severity): Severity[] {
  return LEVELS.filter((l) => s !== 'unknown' && severityRank(s) >= severityRank(l));
}

/** The findings at the highest severity: what a cordon is about (see watch.ts for the rest). */
export function worstFindings(findings: readonly Finding[]): Finding[] {
  const top = highestSeverity(findings);
  return findings.filter((f) => f.severity.level === top);
}

export function quarantineAction(svc: ServiceRef, findings: readonly Finding[], o: { quarantineOn?: Severity } = {}): Action {
  const severity = highestSeverity(findings);
  const count = (s: Severity): number => findings.filter((f) => f.severity.level === s).length;
  const worst = worstFindings(findings);
  return {
    name: QUARANTINE_ACTION,
    principal: { id: SCANNER_PRINCIPAL },
    data: { classification: svc.classification, tags: ['vulnerability'] },
    args: {
      service: svc.service,
      classification: svc.classification,
      severity,
      reaches: levelsReached(severity),
      advisories: [...new Set(worst.map((f) => f.id))].slice(0, MAX_ADVISORIES),
      critical: count('critical'),
      high: count('high'),
      medium: count('medium'),
      low: count('low'),
      unknown: count('unknown'),
      total: findings.length,
      ...(o.quarantineOn ? { quarantineOn: o.quarantineOn } : {}),
    },
  };
}

/**
 * The lift, as the approval is granted for it. Deterministic for the same inputs: the approval is
 * valid for exactly this action, so the scanner stores it and resubmits it unchanged.
 */
export function liftAction(svc: ServiceRef, o: { advisories: readonly string[]; trigger: 'resolved' | 'operator' }): Action {
  return {
    name: LIFT_ACTION,
    principal: { id: SCANNER_PRINCIPAL },
    data: { classification: svc.classification, tags: ['vulnerability'] },
    args: {
      service: svc.service,
      classification: svc.classification,
      // resolved: the findings that cordoned it are gone; operator: someone asked to lift anyway.
      trigger: o.trigger,
      advisories: [...new Set(o.advisories)].sort().slice(0, MAX_ADVISORIES),
    },
  };
}
