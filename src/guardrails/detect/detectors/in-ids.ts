/**
 * Indian identifiers, as Presidio's InAadhaarRecognizer and InPanRecognizer.
 *
 * IN_AADHAAR: twelve digits, bare or in fours (`3123 4567 8909`, `-` or `:` also), not starting 0
 * or 1, not a palindrome, with a Verhoeff check digit; a failed check drops it. Presidio scores a
 * passing number 1.0; one random twelve-digit number in ten passes (a FedEx tracking number is
 * twelve digits in fours), so here it scores CONTEXT_GATED_SCORE until "aadhaar" or "uidai" lifts it.
 * It must stand alone: the first twelve digits of a card written in fours are not one.
 *
 * IN_PAN: the Permanent Account Number, five letters, four digits, a letter — 0.5 when the fourth
 * letter is a holder type (P person, C company, H HUF, A, B, G, J, L, F, T), else 0.1. Presidio's
 * third pattern (0.01) takes any ten-character token with a letter and four digits in a row; it is a
 * detector of its own here (`inPanTokenDetector`) with no context words, because "pan" occurs in
 * "company", "panel" and "Japan" and would lift any such token. (Presidio's version looks for the
 * letter and the digits anywhere after the token, up to the end of the text; here, inside it.)
 */
import { digitsOf } from './digit-checks.js';
import { wordDetector } from './digit-words.js';
import { CONTEXT_GATED_SCORE, PRESIDIO_CONTEXT_WINDOW, verhoeffValid } from './id-checks.js';
import { chainDetector, chainIs, type NumberChain } from './number-chains.js';

export function aadhaarValid(digits: string): boolean {
  if (digits.length !== 12 || digits.charCodeAt(0) < 50) return false;
  let palindrome = true;
  for (let i = 0; i < 6; i++) if (digits[i] !== digits[11 - i]) palindrome = false;
  return !palindrome && verhoeffValid(digits);
}

/** Presidio's `\d{12}` and `\d{4}[- :]\d{4}[- :]\d{4}` (both very weak, 0.01) as chain shapes. */
const aadhaarShape = (chain: NumberChain) => chainIs(chain, [12]) || chainIs(chain, [4, 4, 4], '- :');

export const inAadhaarDetector = chainDetector({
  id: 'in-aadhaar',
  entity: 'IN_AADHAAR',
  wordBounded: true,
  contextWindow: PRESIDIO_CONTEXT_WINDOW,
  // Presidio's words, and the common spelling "aadhar".
  context: ['aadhaar', 'aadhar', 'uidai'],
  shape: aadhaarShape,
  score: (value) => (aadhaarValid(digitsOf(value)) ? CONTEXT_GATED_SCORE : 0),
});

/** Holder types a PAN's fourth letter names. */
const HOLDER_TYPES = 'ABCFGHJLPT';

export const inPanDetector = wordDetector({
  id: 'in-pan',
  entity: 'IN_PAN',
  // Presidio's PAN (High) and PAN (Medium) in one pass; the fourth letter gives the score.
  length: 10,
  pattern: /^[A-Z]{5}\d{4}[A-Z]$/i,
  contextWindow: PRESIDIO_CONTEXT_WINDOW,
  context: ['permanent account number', 'pan'],
  score: (word) => (HOLDER_TYPES.includes(word[3]!.toUpperCase()) ? 0.5 : 0.1),
});

/** Presidio's PAN (Low) score. */
const PAN_TOKEN_SCORE = 0.01;

/** Whether a word holds a letter. */
const hasLetter = (word: string) => /[A-Za-z]/.test(word);

export const inPanTokenDetector = wordDetector({
  id: 'in-pan-token',
  entity: 'IN_PAN',
  length: 10,
  pattern: /\d{4}/,
  score: (word) => (hasLetter(word) ? PAN_TOKEN_SCORE : 0),
  context: [],
});
