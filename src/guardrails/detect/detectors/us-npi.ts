/**
 * US_NPI — Presidio's UsNpiRecognizer: the ten-digit National Provider Identifier, starting 1 or
 * 2, bare (weak) or grouped `dddd-ddd-ddd` / `dddd ddd ddd` (medium), confirmed by the Luhn check
 * over "80840" + the NPI (CMS's card-issuer prefix); a failed check drops it, and numbers whose
 * first nine digits are all the same are dropped.
 *
 * One deviation from Presidio: a bare ten-digit number that passes the check scores
 * NPI_BARE_VALID_SCORE, not 1.0 — one random number in ten passes, so a phone or order number must
 * not be reported as an NPI without context words ("npi", "provider", …).
 */
import { patternDetector } from '../pattern-detector.js';
import { digitsOf, luhnValid } from './digit-checks.js';

/** Score of a checksum-valid bare ten-digit number: below the default threshold until context lifts it. */
export const NPI_BARE_VALID_SCORE = 0.3;

/** The NPI check: Luhn over the 15 digits "80840" + NPI. */
export function npiChecksumValid(digits: string): boolean {
  return digits.length === 10 && luhnValid(`80840${digits}`);
}

/** Presidio's invalidate_result: the nine body digits all alike (1111111112 and the like). */
export function npiDegenerate(digits: string): boolean {
  const body = digits.slice(0, -1);
  return body.length > 0 && [...body].every((c) => c === body[0]);
}

export const usNpiDetector = patternDetector({
  id: 'us-npi',
  entity: 'US_NPI',
  // Presidio's two patterns (bare, weak 0.1; grouped, medium 0.4) in one pass: validation
  // decides every score.
  patterns: [{ name: 'NPI (weak / medium)', regex: /\b[12]\d{3}(?:\d{6}|[ -]\d{3}[ -]\d{3})\b/g, score: 0.1, digits: true }],
  context: ['npi', 'national provider', 'provider', 'npi number', 'provider id', 'provider identifier', 'taxonomy'],
  invalidate: (value) => npiDegenerate(digitsOf(value)),
  validate(value) {
    if (!npiChecksumValid(digitsOf(value))) return false;
    return value.length > 10 ? true : NPI_BARE_VALID_SCORE;
  },
});
