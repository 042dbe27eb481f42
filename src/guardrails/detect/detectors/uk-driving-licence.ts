/**
 * UK_DRIVING_LICENCE — Presidio's UkDrivingLicenceRecognizer: the DVLA's sixteen characters — the
 * surname's first five letters (padded with 9s), the decade of birth, the month (+50 for women),
 * the day, the year's last digit, two initials (9 for none), a digit or letter and two check
 * letters (medium, 0.5). The DVLA's check is not public; a surname part that is not letters then
 * 9s is dropped, as in Presidio. Case-insensitive, as Presidio's pattern is.
 *
 * The pattern here starts the surname with a letter, which Presidio's check then demands anyway.
 */
import { wordDetector } from './digit-words.js';
import { PRESIDIO_CONTEXT_WINDOW, twoDigits } from './id-checks.js';

/** Letters, then only 9s: SMITH, FO999. */
const SURNAME = /^[A-Z]+9*$/;

/**
 * Presidio's rules for the parts its pattern spells out: month 01–12 or 51–62, day 01–31 (checked
 * here, as a pattern holding them is not provably linear), and the surname rule.
 */
export function ukDrivingLicenceValid(value: string): boolean {
  const month = twoDigits(value, 6);
  const day = twoDigits(value, 8);
  return ((month >= 1 && month <= 12) || (month >= 51 && month <= 62)) && day >= 1 && day <= 31 && SURNAME.test(value.slice(0, 5).toUpperCase());
}

export const ukDrivingLicenceDetector = wordDetector({
  id: 'uk-driving-licence',
  entity: 'UK_DRIVING_LICENCE',
  length: 16,
  pattern: /^[A-Z][A-Z9]{4}\d[0156]\d[0-3]\d\d[A-Z9]{2}[A-Z0-9][A-Z]{2}$/i,
  contextWindow: PRESIDIO_CONTEXT_WINDOW,
  context: ['driving licence', 'driving license', "driver's licence", "driver's license", 'dvla', 'dl number', 'licence number', 'license number'],
  score: (word) => (ukDrivingLicenceValid(word) ? 0.5 : 0),
});
