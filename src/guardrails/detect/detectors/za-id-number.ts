/**
 * ZA_ID_NUMBER — Presidio's ZaIdNumberRecognizer: the South African identity number YYMMDDSSSSCAZ —
 * birth date, sequence, citizenship (0 citizen, 1 permanent resident, 2 refugee), a legacy digit
 * (8 or 9) and a Luhn check digit (0.2). The date must be a real day and not in the future (a
 * two-digit year after this year's is read as 19YY, else 20YY); then it scores 1.0, else it is
 * dropped. The number must stand alone, not be part of a longer one.
 */
import { luhnValid } from './digit-checks.js';
import { isCalendarDate, PRESIDIO_CONTEXT_WINDOW, twoDigits } from './id-checks.js';
import { chainDetector, chainIs } from './number-chains.js';

/** Whether the YYMMDD at the start of `digits` is a birth date no later than `today` (UTC). */
export function zaBirthDateValid(digits: string, today = new Date()): boolean {
  const yy = twoDigits(digits, 0);
  const thisYear = today.getUTCFullYear();
  const year = (yy > thisYear % 100 ? 1900 : 2000) + yy;
  const month = twoDigits(digits, 2);
  const day = twoDigits(digits, 4);
  if (!isCalendarDate(year, month, day)) return false;
  return Date.UTC(year, month - 1, day) <= Date.UTC(thisYear, today.getUTCMonth(), today.getUTCDate());
}

/** Thirteen digits, citizenship 0–2, legacy digit 8 or 9, a past birth date and the Luhn check. */
export function zaIdValid(digits: string, today = new Date()): boolean {
  if (digits.length !== 13 || digits.charCodeAt(10) > 50 || digits.charCodeAt(11) < 56) return false;
  return zaBirthDateValid(digits, today) && luhnValid(digits);
}

export const zaIdNumberDetector = chainDetector({
  id: 'za-id-number',
  entity: 'ZA_ID_NUMBER',
  wordBounded: true,
  contextWindow: PRESIDIO_CONTEXT_WINDOW,
  context: ['id', 'identity', 'identity number', 'id number', 'south african id', 'rsa id', 'smart id', 'national id'],
  shape: (chain) => chainIs(chain, [13]),
  score: (value) => (zaIdValid(value) ? 1 : 0),
});
