/**
 * FI_PERSONAL_IDENTITY_CODE — Presidio's FiPersonalIdentityCodeRecognizer: the henkilötunnus
 * DDMMYYCZZZQ — birth date, a century sign (+ 1800s; - Y X W V U 1900s; A–F 2000s), a three-digit
 * individual number and a control character, DDMMYYZZZ modulo 31 in 0–9 A–F H J–N P R–Y. The date
 * (in its century) and the control character must be right: then it scores 1.0, else it is dropped.
 * Case-insensitive, as Presidio's patterns are.
 *
 * Presidio also runs the pattern without word boundaries (very weak), so that a code glued to a
 * word ("code is030594W903B") is found; here the code may touch letters but never more digits.
 */
import { patternDetector } from '../pattern-detector.js';
import { isCalendarDate, PRESIDIO_CONTEXT_WINDOW, twoDigits } from './id-checks.js';

const CONTROL = '0123456789ABCDEFHJKLMNPRSTUVWXY';
const SIGNS = '-+ABCDEFUVWXYabcdefuvwxy';

/** The century a sign stands for, or -1. */
function century(sign: string): number {
  if (sign === '+') return 1800;
  if ('-YXWVU'.includes(sign)) return 1900;
  if ('ABCDEF'.includes(sign)) return 2000;
  return -1;
}

export function fiPersonalIdentityCodeValid(value: string): boolean {
  if (value.length !== 11) return false;
  const c = century(value[6]!.toUpperCase());
  if (c < 0 || !isCalendarDate(c + twoDigits(value, 4), twoDigits(value, 2), twoDigits(value, 0))) return false;
  return CONTROL[Number(value.slice(0, 6) + value.slice(7, 10)) % 31] === value[10]!.toUpperCase();
}

export const fiPersonalIdentityCodeDetector = patternDetector({
  id: 'fi-personal-identity-code',
  entity: 'FI_PERSONAL_IDENTITY_CODE',
  patterns: [
    {
      name: 'Finnish personal identity code',
      regex: /(?<![0-9])\d{6}[-+A-FU-Y]\d{3}[0-9A-FHJ-NPR-Y](?![0-9A-Z])/gi,
      score: 0.5,
      lead: { runs: [6], next: SIGNS },
    },
  ],
  // Presidio's words; "henkil" stands for henkilötunnus (a word contains it, and ASCII words keep
  // the context search on its fast path).
  contextWindow: PRESIDIO_CONTEXT_WINDOW,
  context: ['hetu', 'henkil', 'personbeteckning', 'personal identity code'],
  validate: fiPersonalIdentityCodeValid,
});
