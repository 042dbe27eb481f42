/**
 * UK_VEHICLE_REGISTRATION — Presidio's UkVehicleRegistrationRecognizer, its three formats in one
 * pass:
 * - current (2001–): two area letters, the age identifier, three letters (`AB51 ABC`, 0.3); an age
 *   of 02–29 or 51–79 scores 1.0, any other is dropped;
 * - prefix (1983–2001): year letter, one to three digits, three letters (`A123 BCD`, 0.2);
 * - suffix (1963–1983): three letters, one to three digits, year letter (`ABC 123D`, 0.15).
 * Case-insensitive, as Presidio's patterns are, but plates are printed in capitals: a match with a
 * lower-case letter ("v2 abc", a short git hash such as `ab51cde`) scores LOWER_CASE_SCORE, found
 * but below the threshold until context lifts it. A plate stands alone: one joined by a dash to
 * more letters or digits is part of a longer identifier (`8FT7-Y64-AA10`, `2b-ca-bf-4a-4f-98`).
 *
 * Context: Presidio's words, with "car", "reg" and "mot" only where they are words of a phrase
 * ("car reg", "reg no", "mot test"): alone they occur in "care", "card", "regards", "remote".
 */
import { patternDetector } from '../pattern-detector.js';
import { ASCII_LETTERS, lettersUpperCase, NOT_DASH_JOINED_AFTER, NOT_DASH_JOINED_BEFORE, PRESIDIO_CONTEXT_WINDOW } from './id-checks.js';

export const LOWER_CASE_SCORE = 0.05;

const CURRENT = '[A-HJ-PR-Y]{2}(?:0[1-9]|[1-7]\\d)[- ]?[A-HJ-PR-Z]{3}';
const PREFIX = '[A-HJ-NPR-TV-Y]\\d{1,3}[- ]?[A-HJ-PR-Y][A-HJ-PR-Z]{2}';
const AFTER_DIGITS = `- ${ASCII_LETTERS}`;
const SUFFIX = '[A-HJ-PR-Z]{3}[- ]?\\d{1,3}[- ]?[A-HJ-NPR-TV-Y]';

/** Presidio's score for a match's format; false for a current-format plate with an age never issued. */
export function plateScore(value: string): number | false {
  const isDigit = (i: number) => value.charCodeAt(i) >= 48 && value.charCodeAt(i) <= 57;
  let score: number;
  if (!isDigit(0) && !isDigit(1) && isDigit(2) && isDigit(3) && !isDigit(4) && !isDigit(value.length - 1) && value.replace(/[- ]/g, '').length === 7) {
    const age = (value.charCodeAt(2) - 48) * 10 + (value.charCodeAt(3) - 48);
    if (!((age >= 2 && age <= 29) || (age >= 51 && age <= 79))) return false;
    score = 1;
  } else {
    score = isDigit(1) ? 0.2 : 0.15;
  }
  return lettersUpperCase(value) ? score : LOWER_CASE_SCORE;
}

export const ukVehicleRegistrationDetector = patternDetector({
  id: 'uk-vehicle-registration',
  entity: 'UK_VEHICLE_REGISTRATION',
  patterns: [
    {
      name: 'UK Vehicle Registration (current / prefix / suffix)',
      regex: new RegExp(`${NOT_DASH_JOINED_BEFORE}\\b(?:${CURRENT}|${PREFIX}|${SUFFIX})\\b${NOT_DASH_JOINED_AFTER}`, 'gi'),
      score: 0.15,
      // One to three letters right before the digits (current, prefix, suffix), or a suffix's three
      // letters and a separator; a separator or a letter after them.
      lead: [
        { runs: [1, 2, 3], before: { min: 1, max: 3 }, beforeChars: ASCII_LETTERS, next: AFTER_DIGITS },
        { runs: [1, 2, 3], before: { min: 4, max: 4 }, beforeChars: `${ASCII_LETTERS}- `, next: AFTER_DIGITS },
      ],
    },
  ],
  contextWindow: PRESIDIO_CONTEXT_WINDOW,
  context: [
    'vehicle',
    'registration',
    'number plate',
    'licence plate',
    'license plate',
    'car reg',
    'reg no',
    'reg:',
    'reg number',
    'reg is',
    'my reg',
    'vrn',
    'dvla',
    'v5c',
    'logbook',
    'mot test',
    'my car',
  ],
  validate: plateScore,
});
