/**
 * PL_PESEL — Presidio's PlPeselRecognizer: eleven digits YYMMDDZZZZQ, the month carrying the
 * century (+80 1800s, +0 1900s, +20 2000s, +40 2100s, +60 2200s), with the check digit completing
 * weights 1 3 7 9 1 3 7 9 1 3 to a multiple of 10; a failed check (or, here, a day the month does
 * not have) drops it.
 *
 * Deviations: Presidio scores a passing number 1.0; about one random eleven-digit number in fifty
 * passes (order numbers, phone numbers with a country code), so here it scores CONTEXT_GATED_SCORE
 * until "pesel" lifts it. And where Presidio's pattern has no boundaries, the number here is never
 * part of a longer number (letters may touch it; number-chains.ts).
 */
import { CONTEXT_GATED_SCORE, isCalendarDate, PRESIDIO_CONTEXT_WINDOW, twoDigits, weightedSum } from './id-checks.js';
import { chainDetector, chainIs } from './number-chains.js';

const WEIGHTS = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
/** The century of each month offset's block of twenty: 0–19 → 1900s, 20–39 → 2000s, …, 80–99 → 1800s. */
const CENTURIES = [1900, 2000, 2100, 2200, 1800];

export function peselValid(digits: string): boolean {
  if (digits.length !== 11) return false;
  const coded = twoDigits(digits, 2);
  const block = Math.floor(coded / 20);
  if (!isCalendarDate(CENTURIES[block]! + twoDigits(digits, 0), coded - block * 20, twoDigits(digits, 4))) return false;
  return (10 - (weightedSum(digits, WEIGHTS) % 10)) % 10 === digits.charCodeAt(10) - 48;
}

// Presidio's month and day ranges are checked by peselValid, with the calendar.
export const plPeselDetector = chainDetector({
  id: 'pl-pesel',
  entity: 'PL_PESEL',
  wordBounded: false,
  contextWindow: PRESIDIO_CONTEXT_WINDOW,
  context: ['pesel'],
  shape: (chain) => chainIs(chain, [11]),
  score: (value) => (peselValid(value) ? CONTEXT_GATED_SCORE : 0),
});
