/**
 * SE_PERSONNUMMER — Presidio's SePersonnummerRecognizer: the Swedish personal identity number,
 * YYMMDD or YYYYMMDD, an optional `-` or `+` (over 100), and four digits whose last is a Luhn check
 * over the ten-digit form. The month must be 1–12 and the day 1–31 (61–91 for a coordination
 * number, samordningsnummer); then a match scores 1.0, else it is dropped.
 *
 * Deviations:
 * - A bare ten-digit number passes date and Luhn about once in 130 (epoch seconds, order numbers)
 *   and scores CONTEXT_GATED_SCORE until a context word lifts it; with a separator, or with the
 *   century (twelve digits), it keeps Presidio's 1.0.
 * - The century must be 18, 19 or 20 and the date a real day (Presidio checks month and day
 *   ranges only), so a twelve-digit tracking number rarely passes.
 * - Presidio also runs its pattern without boundaries (very weak), to find a number glued to a
 *   word ("code is199003052397"); here a number may touch letters but is never part of a longer
 *   number (number-chains.ts).
 * - Context: Presidio's words less "ssn", the US Social Security number's word.
 */
import { digitsOf, luhnValid } from './digit-checks.js';
import { CONTEXT_GATED_SCORE, isCalendarDate, PRESIDIO_CONTEXT_WINDOW, twoDigits } from './id-checks.js';
import { chainDetector, chainIs, type NumberChain } from './number-chains.js';

export function personnummerValid(digits: string): boolean {
  if (digits.length !== 10 && digits.length !== 12) return false;
  const ten = digits.length === 12 ? digits.slice(2) : digits;
  const yy = twoDigits(ten, 0);
  const month = twoDigits(ten, 2);
  let day = twoDigits(ten, 4);
  if (day >= 61) day -= 60;
  if (digits.length === 12) {
    const century = twoDigits(digits, 0);
    if (century < 18 || century > 20 || !isCalendarDate(century * 100 + yy, month, day)) return false;
  } else if (!isCalendarDate(2000 + yy, month, day) && !isCalendarDate(1900 + yy, month, day)) {
    return false;
  }
  return luhnValid(ten);
}

/** Presidio's `(\d{6,8})([-+]?)\d{4}` as the chain shapes it means: YYMMDD or YYYYMMDD, then four digits. */
const personnummerShape = (chain: NumberChain) =>
  chainIs(chain, [10]) || chainIs(chain, [12]) || chainIs(chain, [6, 4], '-+') || chainIs(chain, [8, 4], '-+');

export const sePersonnummerDetector = chainDetector({
  id: 'se-personnummer',
  entity: 'SE_PERSONNUMMER',
  wordBounded: false,
  contextWindow: PRESIDIO_CONTEXT_WINDOW,
  context: ['personnummer', 'svensk id', 'personal identity number', 'samordningsnummer'],
  shape: personnummerShape,
  score(value, chain) {
    const digits = digitsOf(value);
    if (!personnummerValid(digits)) return 0;
    return digits.length === 12 || chain.groups.length > 1 ? 1 : CONTEXT_GATED_SCORE;
  },
});
