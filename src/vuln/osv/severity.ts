/**
 * A finding's severity: CVSS v2/v3.x/v4 vectors scored with ae-cvss-calculator (the highest
 * score when a record carries several — the conservative choice for a gate), else the label the
 * database gives (GitHub's `database_specific.severity`, Debian urgency, Ubuntu priority).
 */
import cvss from 'ae-cvss-calculator';
import type { Severity, SeverityScore } from '../types.js';
import type { OsvAffected, OsvRecord, OsvSeverity } from './types.js';

export function levelOfScore(score: number): Severity {
  if (score === 0) return 'none';
  if (score < 4) return 'low';
  if (score < 7) return 'medium';
  if (score < 9) return 'high';
  return 'critical';
}

// Advisories share a few hundred distinct vectors; scoring one is the costly part.
const scores = new Map<string, number | undefined>();

/** Base score of a CVSS vector, or undefined when the calculator cannot read it. */
export function cvssScore(vector: string): number | undefined {
  const key = vector.trim();
  if (scores.has(key)) return scores.get(key);
  let score: number | undefined;
  try {
    const s = cvss.fromVector(key)?.calculateScores();
    const n = s?.overall ?? s?.base;
    score = typeof n === 'number' && Number.isFinite(n) ? n : undefined;
  } catch {
    score = undefined;
  }
  if (scores.size > 10_000) scores.clear();
  scores.set(key, score);
  return score;
}

const LABELS: Record<string, Severity> = {
  negligible: 'low', unimportant: 'low', low: 'low',
  moderate: 'medium', medium: 'medium',
  high: 'high', important: 'high',
  critical: 'critical',
  none: 'none',
};

export function levelOfLabel(label: unknown): Severity | undefined {
  return typeof label === 'string' ? LABELS[label.trim().toLowerCase()] : undefined;
}

function fromVectors(list: OsvSeverity[] | undefined): SeverityScore | undefined {
  let best: SeverityScore | undefined;
  for (const s of list ?? []) {
    if (s.type === 'Ubuntu') {
      const level = levelOfLabel(s.score);
      if (level && !best) best = { level, method: 'Ubuntu' };
      continue;
    }
    if (!/^CVSS_V[234]$/.test(s.type)) continue;
    const score = cvssScore(s.score);
    if (score === undefined) continue;
    if (!best || best.score === undefined || score > best.score) best = { level: levelOfScore(score), score, method: s.type, vector: s.score };
  }
  return best;
}

/** Severity of a record for the package entries that matched (per-package severity wins). */
export function severityOf(record: OsvRecord, matched: OsvAffected[] = []): SeverityScore {
  const perPackage = fromVectors(matched.flatMap((a) => a.severity ?? []));
  if (perPackage) return perPackage;
  const top = fromVectors(record.severity);
  if (top) return top;
  const labels = [record.database_specific?.severity, ...matched.flatMap((a) => [a.ecosystem_specific?.severity, a.database_specific?.severity, a.ecosystem_specific?.urgency])];
  for (const l of labels) {
    const level = levelOfLabel(l);
    if (level) return { level, method: 'database' };
  }
  return { level: 'unknown', method: 'none' };
}
