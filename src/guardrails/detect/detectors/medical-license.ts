/**
 * MEDICAL_LICENSE — Presidio's MedicalLicenseRecognizer: US DEA registration numbers, a registrant
 * type letter (A–H, J–M, P, R–U, X), a second letter (or 9) and seven digits whose last is the DEA
 * check digit; valid → 1.0, invalid → dropped.
 *
 * One deviation: Presidio's pattern has no word boundaries and so matches inside longer tokens
 * (hex strings, serial numbers); here the number must be a whole token.
 */
import { patternDetector } from '../pattern-detector.js';

/**
 * The DEA check: with the seven digits d1…d7, (d1 + d3 + d5) + 2 × (d2 + d4 + d6) ends in d7.
 * `value` is the whole registration number (two characters, then the digits).
 */
export function deaChecksumValid(value: string): boolean {
  const digits = value.slice(2);
  if (digits.length !== 7) return false;
  const d: number[] = [];
  for (let i = 0; i < 7; i++) {
    const c = digits.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return false;
    d.push(c);
  }
  const sum = d[0]! + d[2]! + d[4]! + 2 * (d[1]! + d[3]! + d[5]!);
  return sum % 10 === d[6];
}

export const medicalLicenseDetector = patternDetector({
  id: 'medical-license',
  entity: 'MEDICAL_LICENSE',
  patterns: [
    {
      name: 'USA DEA Certificate Number (weak)',
      regex: /\b[abcdefghjklmprstux][a-z9]\d{7}\b/gi,
      score: 0.4,
      // Seven digits after two letters, or eight after one (the second character may be a 9).
      lead: { runs: [7, 8], before: { min: 1, max: 2 } },
    },
  ],
  context: ['medical', 'certificate', 'dea'],
  validate: deaChecksumValid,
});
