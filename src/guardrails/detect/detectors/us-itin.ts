/**
 * US_ITIN — Presidio's UsItinRecognizer: 9xx-GG-xxxx where the group GG is 50–65, 70–88, 90–92
 * or 94–99. Delimited with `-` or space (medium 0.5), bare (weak 0.3), or with one delimiter only
 * (very weak 0.05); context words ("itin", "taxpayer", "tax id", …) lift the weak forms.
 *
 * Presidio's three patterns match whole tokens of distinct shapes, so one pattern finds the same
 * spans in one pass and the shape gives the score; the group ranges are checked on the match
 * (inside the regex they are not provably linear).
 */
import { patternDetector } from '../pattern-detector.js';
import { digitsOf } from './digit-checks.js';

/** Whether the group digits (4th and 5th) are in the ranges the IRS assigns to ITINs. */
export function itinGroupValid(value: string): boolean {
  const d = digitsOf(value);
  if (d.length !== 9 || d[0] !== '9') return false;
  const g = Number(d.slice(3, 5));
  return (g >= 50 && g <= 65) || (g >= 70 && g <= 88) || (g >= 90 && g <= 92) || g >= 94;
}

/** Presidio's score by delimiters: both (medium), none (weak), one (very weak). */
export function itinShapeScore(value: string): number {
  const delimiters = value.length - 9;
  return delimiters === 2 ? 0.5 : delimiters === 0 ? 0.3 : 0.05;
}

export const usItinDetector = patternDetector({
  id: 'us-itin',
  entity: 'US_ITIN',
  patterns: [{ name: 'Itin (medium, weak, very weak)', regex: /\b9\d{2}[- ]?\d{2}[- ]?\d{4}\b/g, score: 0.05, digits: true }],
  context: ['individual', 'taxpayer', 'itin', 'tax', 'payer', 'taxid', 'tin'],
  invalidate: (value) => !itinGroupValid(value),
  validate: itinShapeScore,
});
