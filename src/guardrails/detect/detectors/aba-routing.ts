/**
 * ABA_ROUTING_NUMBER — Presidio's AbaRoutingRecognizer: nine digits starting 0–3 or 6–8 (bare,
 * weak; or `dddd-dddd-d`), confirmed by the 3-7-1 weighted checksum; a failed checksum drops it.
 *
 * One deviation from Presidio: a bare nine-digit number that passes the checksum scores
 * ABA_BARE_VALID_SCORE, not 1.0 — one random nine-digit number in ten passes, so an order number
 * must not be reported as a routing number without context words ("routing", "aba").
 */
import { patternDetector } from '../pattern-detector.js';
import { digitsAt, digitsOf } from './digit-checks.js';

/** Score of a checksum-valid bare nine-digit number: below the default threshold until context lifts it. */
export const ABA_BARE_VALID_SCORE = 0.3;

/** Where the context words are looked for: eight words before a number (Presidio: five), two after. */
export const ABA_CONTEXT_WINDOW = { before: 8, after: 2 };

/** The ABA routing checksum: weights 3, 7, 1 repeated; the sum is a multiple of 10. */
export function abaChecksumValid(digits: string): boolean {
  if (digits.length !== 9 || !digitsAt(digits, 0, 9)) return false;
  const w = [3, 7, 1];
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (digits.charCodeAt(i) - 48) * w[i % 3]!;
  return sum % 10 === 0;
}

export const abaRoutingDetector = patternDetector({
  id: 'aba-routing',
  entity: 'ABA_ROUTING_NUMBER',
  // Presidio's two patterns (bare, weak 0.05; dashed, 0.3) in one pass: validation decides every
  // score.
  patterns: [{ name: 'ABA routing number (weak / dashed)', regex: /\b[0123678]\d{3}(?:\d{5}|-\d{4}-\d)\b/g, score: 0.05, digits: true }],
  // Presidio's words, plus RTN (routing transit number), as US banking forms write it.
  context: ['aba', 'routing', 'abarouting', 'association', 'bankrouting', 'rtn', 'transit'],
  // A routing number is usually introduced by a phrase, not a word: "the routing number on my
  // checks is …", "routing number for direct deposit: …" put "routing" six or seven words back,
  // past Presidio's five. Eight words reach over such a phrase and stay within its sentence.
  contextWindow: ABA_CONTEXT_WINDOW,
  validate(value) {
    if (!abaChecksumValid(digitsOf(value))) return false;
    return value.includes('-') ? true : ABA_BARE_VALID_SCORE;
  },
});
