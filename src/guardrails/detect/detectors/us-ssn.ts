/**
 * US_SSN — Presidio's UsSsnRecognizer: `ddd-dd-dddd` with one kind of delimiter (SSN5, medium
 * 0.5), and very weak forms that need context words ("ssn", "social security"): nine bare digits
 * (SSN4), `ddddd-dddd` (SSN1) and `ddd-dddddd` (SSN2). Invalid numbers are dropped: mixed
 * delimiters, all one digit, group 00, serial 0000, area 000, 666 or 9xx (9xx are ITINs, never
 * SSNs — a rule Presidio itself does not apply), and the published sample numbers (078-05-1120,
 * 123-45-6789, 987-65-432x).
 *
 * Presidio's five patterns match whole tokens of distinct shapes, so one alternation finds the same
 * spans in one pass; the shape then gives Presidio's score (its SSN3, `ddd-dd-dddd` at 0.05, is
 * always outscored by SSN5 on the same span).
 */
import { patternDetector } from '../pattern-detector.js';
import { digitsOf } from './digit-checks.js';

const SAMPLE_PREFIXES = ['000', '666', '123456789', '98765432', '078051120'];

/** Presidio's invalidate_result for SSNs, plus the 9xx areas the SSA never issues. */
export function ssnInvalid(value: string): boolean {
  const delimiters = new Set<string>();
  for (const ch of value) if (ch === '.' || ch === '-' || ch === ' ') delimiters.add(ch);
  if (delimiters.size > 1) return true;
  const d = digitsOf(value);
  if (d.length !== 9) return true;
  if ([...d].every((c) => c === d[0])) return true;
  if (d.slice(3, 5) === '00' || d.slice(5) === '0000') return true;
  if (d[0] === '9') return true;
  return SAMPLE_PREFIXES.some((p) => d.startsWith(p));
}

/** Presidio's score for a match's shape: SSN5 (delimiters after the area and the group) or a very weak form. */
export function ssnShapeScore(value: string): number {
  const delimited = (i: number) => value[i] === '-' || value[i] === ' ' || value[i] === '.';
  return value.length === 11 && delimited(3) && delimited(6) ? 0.5 : 0.05;
}

export const usSsnDetector = patternDetector({
  id: 'us-ssn',
  entity: 'US_SSN',
  patterns: [
    {
      name: 'SSN (SSN5 medium; SSN1, SSN2, SSN4 very weak)',
      regex: /\b(?:\d{3}(?:[- .]\d{2}[- .]\d{4}|-\d{6}|\d{6})|\d{5}-\d{4})\b/g,
      score: 0.05,
      digits: true,
    },
  ],
  context: ['social', 'security', 'ssn', 'ssns', 'ssid'],
  invalidate: ssnInvalid,
  validate: ssnShapeScore,
});
