/**
 * IT_FISCAL_CODE — Presidio's ItFiscalCodeRecognizer: the codice fiscale, sixteen characters —
 * three letters of the surname and three of the name (consonants first, then vowels, X as filler),
 * year, month letter, day (+40 for women), the municipality's letter and three digits, and a
 * control letter. Digits may be replaced by letters (omocodia: L M N P Q R S T U V for 0–9) when two
 * people would share a code. Presidio scores a match 0.3 and 1.0 when the control letter is right;
 * so does this. Case-insensitive, as Presidio's pattern is.
 *
 * Presidio checks the name parts, the date and the municipality code in its regex; here the regex
 * takes the shape and `itFiscalCodeShapeValid` the rest. The code must be a whole word (Presidio's
 * pattern has no boundaries) holding a digit: omocodia replaces digits from the right, so only a
 * code with all seven replaced is missed — the words scanned are those holding a digit.
 */
import { wordDetector } from './digit-words.js';
import { daysInMonth, PRESIDIO_CONTEXT_WINDOW } from './id-checks.js';

/** Omocodia: the letter standing for each digit. */
const OMOCODIA = 'LMNPQRSTUV';
const MONTHS = 'ABCDEHLMPRST';
/** A digit or its omocodia letter. */
const D = '[0-9LMNP-V]';
/** Control-letter values of a character in an odd place (1st, 3rd, …), for 0–9 and A–Z. */
const ODD_DIGITS = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21];
const ODD_LETTERS = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];

/** The digit a character stands for (itself, or its omocodia letter), or -1. */
function digitValue(c: string): number {
  const d = c.charCodeAt(0) - 48;
  return d >= 0 && d <= 9 ? d : OMOCODIA.indexOf(c);
}

/** The control letter of the first fifteen characters (upper case). */
export function itFiscalCodeControl(code: string): string {
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const c = code.charCodeAt(i);
    const digit = c >= 48 && c <= 57;
    const v = digit ? c - 48 : c - 65;
    sum += i % 2 === 0 ? (digit ? ODD_DIGITS[v]! : ODD_LETTERS[v]!) : v;
  }
  return String.fromCharCode(65 + (sum % 26));
}

/** Three letters of a surname or name: a consonant pair and any letter, or a letter and vowels (X as filler). */
const NAME_PART = /^(?:[A-Z][AEIOU][AEIOUX]|[AEIOU]XX|[B-DF-HJ-NP-TV-Z]{2}[A-Z])$/;

/**
 * The rules Presidio's regex applies beyond the shape (checked here, as a pattern holding them is
 * not provably linear): the name parts, a real day of the month, a municipality code that is not 000.
 */
export function itFiscalCodeShapeValid(code: string): boolean {
  if (!NAME_PART.test(code.slice(0, 3)) || !NAME_PART.test(code.slice(3, 6))) return false;
  const year = digitValue(code[6]!) * 10 + digitValue(code[7]!);
  const month = MONTHS.indexOf(code[8]!) + 1;
  let day = digitValue(code[9]!) * 10 + digitValue(code[10]!);
  if (day > 40) day -= 40;
  if (month < 1 || day < 1 || day > daysInMonth(2000 + year, month)) return false;
  const town = digitValue(code[12]!) * 100 + digitValue(code[13]!) * 10 + digitValue(code[14]!);
  const area = code[11]!;
  return town > 0 && (area <= 'M' || (area === 'Z' && town >= 100));
}

/** Three letters of a surname or name: a consonant pair and any letter, or a letter and vowels (X as filler). */

export const itFiscalCodeDetector = wordDetector({
  id: 'it-fiscal-code',
  entity: 'IT_FISCAL_CODE',
  length: 16,
  pattern: new RegExp(`^[A-Z]{6}${D}{2}[ABCDEHLMPRST][0-7LMNP-T]${D}[A-MZ]${D}{3}[A-Z]$`, 'i'),
  contextWindow: PRESIDIO_CONTEXT_WINDOW,
  context: ['codice fiscale', 'cf'],
  score(word) {
    const code = word.toUpperCase();
    if (!itFiscalCodeShapeValid(code)) return 0;
    return itFiscalCodeControl(code) === code[15] ? 1 : 0.3;
  },
});
