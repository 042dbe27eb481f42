/**
 * Australian identifiers, as Presidio's AuAbn/AuAcn/AuTfn/AuMedicareRecognizer: each a number
 * written bare or in its official grouping, confirmed by its check digits (a failed check drops it).
 *
 * - AU_ABN: 11 digits (`51 824 753 556`), modulus 89 over weights 10, 1, 3 … 19 after taking 1
 *   from the first digit (never 0: the two leading check digits are 10–99).
 * - AU_ACN: 9 digits (`005 499 981`), weights 8 … 1, the check digit completing a multiple of 10.
 * - AU_TFN: 9 digits (`876 543 210`), weights 1 4 3 7 5 8 6 9 10, a multiple of 11.
 * - AU_MEDICARE: 10 digits starting 2–6 (`2123 45670 1`), weights 1 3 7 9 1 3 7 9 over the first
 *   eight giving the ninth; the tenth is the card's issue number.
 *
 * Scores: a grouped ABN or Medicare number that passes scores 1.0 as in Presidio — its grouping is
 * its own — but a bare number, and an ACN or TFN in any form (`ddd ddd ddd` is every other
 * nine-digit number's grouping), passes one time in 10 to 89 by chance and scores
 * CONTEXT_GATED_SCORE until a context word lifts it. Each must stand alone, not be part of a longer
 * number (number-chains.ts).
 */
import { digitsOf } from './digit-checks.js';
import { CONTEXT_GATED_SCORE, PRESIDIO_CONTEXT_WINDOW, weightedSum } from './id-checks.js';
import { chainDetector, chainIs, type NumberChain } from './number-chains.js';

const ABN_WEIGHTS = [10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19];
const ACN_WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 1];
const TFN_WEIGHTS = [1, 4, 3, 7, 5, 8, 6, 9, 10];
const MEDICARE_WEIGHTS = [1, 3, 7, 9, 1, 3, 7, 9];

export function abnValid(digits: string): boolean {
  // The two leading check digits are 10–99: an ABN never starts with 0.
  if (digits.length !== 11 || digits.charCodeAt(0) === 48) return false;
  // The check takes 1 from the first digit.
  return (weightedSum(digits, ABN_WEIGHTS) - ABN_WEIGHTS[0]!) % 89 === 0;
}

export function acnValid(digits: string): boolean {
  return digits.length === 9 && (10 - (weightedSum(digits, ACN_WEIGHTS) % 10)) % 10 === digits.charCodeAt(8) - 48;
}

export function tfnValid(digits: string): boolean {
  return digits.length === 9 && weightedSum(digits, TFN_WEIGHTS) % 11 === 0;
}

/** The Medicare check (and the first digit, 2–6). */
export function medicareValid(digits: string): boolean {
  return digits.length === 10 && digits.charCodeAt(0) >= 50 && digits.charCodeAt(0) <= 54 && weightedSum(digits, MEDICARE_WEIGHTS) % 10 === digits.charCodeAt(8) - 48;
}

/**
 * Presidio's word is "medicare", but alone it names the US programme as often (an NPI next to
 * "Insurance: Medicare" is no Australian card): here the word must come as the card's.
 */
const MEDICARE_CONTEXT = ['medicare card', 'medicare number', 'medicare no', 'medicare #', 'medicare#', 'australia'];

/** `bare` digits, or `grouped` with spaces. */
const bareOrGrouped = (bare: number, grouped: readonly number[]) => (chain: NumberChain) => chainIs(chain, [bare]) || chainIs(chain, grouped, ' ');

/** After the check: 1.0 in its own grouping when `groupedIsOwn`, CONTEXT_GATED_SCORE otherwise, 0 (not one) when it fails. */
const checked = (valid: (digits: string) => boolean, groupedIsOwn: boolean) => (value: string, chain: NumberChain) => {
  if (!valid(digitsOf(value))) return 0;
  return groupedIsOwn && chain.groups.length > 1 ? 1 : CONTEXT_GATED_SCORE;
};

// Presidio's two patterns each — grouped (Medium, 0.1) and bare (Low, 0.01) — as chain shapes.
export const auAbnDetector = chainDetector({
  id: 'au-abn',
  entity: 'AU_ABN',
  wordBounded: true,
  contextWindow: PRESIDIO_CONTEXT_WINDOW,
  context: ['australian business number', 'abn'],
  shape: bareOrGrouped(11, [2, 3, 3, 3]),
  score: checked(abnValid, true),
});

export const auAcnDetector = chainDetector({
  id: 'au-acn',
  entity: 'AU_ACN',
  wordBounded: true,
  contextWindow: PRESIDIO_CONTEXT_WINDOW,
  context: ['australian company number', 'acn'],
  shape: bareOrGrouped(9, [3, 3, 3]),
  score: checked(acnValid, false),
});

export const auTfnDetector = chainDetector({
  id: 'au-tfn',
  entity: 'AU_TFN',
  wordBounded: true,
  contextWindow: PRESIDIO_CONTEXT_WINDOW,
  context: ['tax file number', 'tfn'],
  shape: bareOrGrouped(9, [3, 3, 3]),
  score: checked(tfnValid, false),
});

export const auMedicareDetector = chainDetector({
  id: 'au-medicare',
  entity: 'AU_MEDICARE',
  wordBounded: true,
  contextWindow: PRESIDIO_CONTEXT_WINDOW,
  context: MEDICARE_CONTEXT,
  shape: bareOrGrouped(10, [4, 5, 1]),
  score: checked(medicareValid, true),
});
