/**
 * Spanish tax identifiers, as Presidio's EsNifRecognizer and EsNieRecognizer: the NIF (DNI), seven
 * or eight digits and a control letter (`12345678Z`, `1111111-G`), and the NIE for foreigners, X, Y
 * or Z, seven digits and a control letter (`X9613851N`, `Y8063915-Z`). The control letter is the
 * number (with X, Y, Z read as 0, 1, 2) modulo 23 in TRWAGMYFPDXBNJZSQVHLCKE: a match whose letter
 * is right scores 1.0, any other is dropped. Case-insensitive, as Presidio's patterns are.
 *
 * Two deviations keep hexadecimal out: a number joined by a dash to more letters or digits is part
 * of a longer identifier (a UUID's `1108666c-…`), and a right but lower-case control letter — how
 * hexadecimal is written, not how the documents print it — scores CONTEXT_GATED_SCORE until
 * "dni", "nif" or "nie" lifts it.
 */
import { patternDetector } from '../pattern-detector.js';
import { ASCII_LETTERS, CONTEXT_GATED_SCORE, NOT_DASH_JOINED_AFTER, NOT_DASH_JOINED_BEFORE, PRESIDIO_CONTEXT_WINDOW } from './id-checks.js';

const CONTROL_LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE';

/** Whether the last character of `value` is the control letter of the number before it (`prefix` is X/Y/Z's digit, or ''). */
function controlLetterRight(prefix: string, value: string): boolean {
  let digits = prefix;
  for (let i = 0; i < value.length - 1; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) digits += value[i];
  }
  return CONTROL_LETTERS[Number(digits) % 23] === value[value.length - 1]!.toUpperCase();
}

export const nifValid = (value: string): boolean => controlLetterRight('', value);

/** 1.0 for a right control letter in capitals, CONTEXT_GATED_SCORE in lower case; a wrong one drops the match. */
const scoreControlLetter = (valid: (value: string) => boolean) => (value: string) => {
  if (!valid(value)) return false;
  const last = value.charCodeAt(value.length - 1);
  return last >= 97 ? CONTEXT_GATED_SCORE : true;
};

export function nieValid(value: string): boolean {
  const prefix = 'XYZ'.indexOf(value[0]!.toUpperCase());
  return prefix >= 0 && controlLetterRight(String(prefix), value.slice(1));
}

// Context words as Presidio's, without accents: a word contains them ("identificación"), and ASCII
// words keep the context search on its fast path.
export const esNifDetector = patternDetector({
  id: 'es-nif',
  entity: 'ES_NIF',
  patterns: [{ name: 'NIF', regex: new RegExp(`${NOT_DASH_JOINED_BEFORE}\\b\\d{7,8}-?[A-Z]\\b${NOT_DASH_JOINED_AFTER}`, 'gi'), score: 0.5, lead: { runs: [7, 8], next: `-${ASCII_LETTERS}` } }],
  contextWindow: PRESIDIO_CONTEXT_WINDOW,
  context: ['documento nacional de identidad', 'dni', 'nif', 'identificaci'],
  validate: scoreControlLetter(nifValid),
});

export const esNieDetector = patternDetector({
  id: 'es-nie',
  entity: 'ES_NIE',
  patterns: [{ name: 'NIE', regex: new RegExp(`${NOT_DASH_JOINED_BEFORE}\\b[XYZ]\\d{7}-?[A-Z]\\b${NOT_DASH_JOINED_AFTER}`, 'gi'), score: 0.5, lead: { runs: [7], before: { min: 1, max: 1 }, beforeChars: 'XYZxyz', next: `-${ASCII_LETTERS}` } }],
  contextWindow: PRESIDIO_CONTEXT_WINDOW,
  context: ['extranjero', 'nie'],
  validate: scoreControlLetter(nieValid),
});
