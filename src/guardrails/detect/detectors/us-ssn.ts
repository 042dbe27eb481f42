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
  // One kind of delimiter only (read in place: this runs on every SSN-shaped number).
  let delimiter = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c !== 46 && c !== 45 && c !== 32) continue;
    if (delimiter !== 0 && c !== delimiter) return true;
    delimiter = c;
  }
  const d = digitsOf(value);
  if (d.length !== 9) return true;
  let same = true;
  for (let i = 1; i < 9; i++) if (d.charCodeAt(i) !== d.charCodeAt(0)) same = false;
  if (same) return true;
  if ((d.charCodeAt(3) === 48 && d.charCodeAt(4) === 48) || d.endsWith('0000')) return true;
  if (d.charCodeAt(0) === 57) return true;
  return SAMPLE_PREFIXES.some((p) => d.startsWith(p));
}

/** Presidio's score for a match's shape: SSN5 (delimiters after the area and the group) or a very weak form. */
export function ssnShapeScore(value: string): number {
  return value.length === 11 && isDelimiter(value.charCodeAt(3)) && isDelimiter(value.charCodeAt(6)) ? 0.5 : 0.05;
}

const isDelimiter = (c: number) => c === 45 || c === 32 || c === 46; // - space .

export const usSsnDetector = patternDetector({
  id: 'us-ssn',
  entity: 'US_SSN',
  patterns: [
    {
      name: 'SSN (SSN5 medium; SSN1, SSN2, SSN4 very weak)',
      regex: /\b(?:\d{3}(?:[- .]\d{2}[- .]\d{4}|-\d{6}|\d{6})|\d{5}-\d{4})\b/g,
      score: 0.05,
      // `536-22-1234`, `536 22 1234`, `536-221234`; `53622-1234`; `536221234`.
      lead: [{ runs: [3], next: '- .' }, { runs: [5], next: '-' }, { runs: [9] }],
    },
  ],
  context: ['social', 'security', 'ssn', 'ssns', 'ssid'],
  invalidate: ssnInvalid,
  validate: ssnShapeScore,
});
