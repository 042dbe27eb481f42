/**
 * UK_NHS — Presidio's NhsRecognizer: the ten-digit NHS number, bare or in 3-3-4 groups (space or
 * dash, each optional), whose digits weighted 10 down to 1 sum to a multiple of 11; a failed check
 * drops it, and so does one digit repeated (0000000000 passes the check but is a placeholder).
 *
 * Presidio scores a passing number 1.0; one random ten-digit number in eleven passes, and 3-3-4 is
 * how North American phone numbers are written, so here it scores CONTEXT_GATED_SCORE until a
 * context word ("NHS", "national health service") lifts it. It must stand alone, not be part of a
 * longer number ("+44 207 946 0958" is a phone number).
 */
import { digitsOf } from './digit-checks.js';
import { allSame, CONTEXT_GATED_SCORE, PRESIDIO_CONTEXT_WINDOW, weightedSum } from './id-checks.js';
import { chainDetector, chainIs, type NumberChain } from './number-chains.js';

const WEIGHTS = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];

export function nhsValid(digits: string): boolean {
  return digits.length === 10 && !allSame(digits) && weightedSum(digits, WEIGHTS) % 11 === 0;
}

/** Presidio's `\d{3}[- ]?\d{3}[- ]?\d{4}` as chain shapes. */
const nhsShape = (chain: NumberChain) =>
  chainIs(chain, [10]) || chainIs(chain, [3, 3, 4], '- ') || chainIs(chain, [3, 7], '- ') || chainIs(chain, [6, 4], '- ');

export const ukNhsDetector = chainDetector({
  id: 'uk-nhs',
  entity: 'UK_NHS',
  wordBounded: true,
  contextWindow: PRESIDIO_CONTEXT_WINDOW,
  context: ['national health service', 'nhs', 'health services authority', 'health authority'],
  shape: nhsShape,
  score: (value) => (nhsValid(digitsOf(value)) ? CONTEXT_GATED_SCORE : 0),
});
