/**
 * Check-digit and date helpers shared by the national identifier detectors (AU, CA, ES, FI, IN,
 * PL, SE, SG, UK, ZA), and what a passed check is worth.
 */

/**
 * Score of a number of a generic shape (9–12 bare digits, or groups that phone and order numbers
 * share) that passes its check digit. Presidio scores every passing match 1.0, but such checks pass
 * one random number in ten (Luhn, mod 10, mod 11, Verhoeff) to one in a hundred (mod 89, a date
 * plus Luhn): reported at 1.0, phone, order and tracking numbers would turn up as foreign IDs. So
 * the number stays below the default threshold until a context word lifts it (0.3 + 0.35), as ABA
 * and NPI numbers do.
 */
export const CONTEXT_GATED_SCORE = 0.3;

/**
 * Where these detectors look for context words: Presidio's window, five words before a finding and
 * none after (the project's default also reads two after). A label precedes its value; the word
 * after a value in a form or a list is the next value's label ("DEA AA9619276, NPI …\nPassport No.").
 */
export const PRESIDIO_CONTEXT_WINDOW = { before: 5, after: 0 } as const;

/**
 * Lookarounds for an identifier that stands alone: one joined by a dash to more letters or digits
 * is part of a longer identifier (a UUID's `1108666c-…`, an MBI's `…-Y64-AA10`, a MAC address).
 */
export const NOT_DASH_JOINED_BEFORE = '(?<![A-Za-z0-9]-)';
export const NOT_DASH_JOINED_AFTER = '(?![-][A-Za-z0-9])';

/** Σ digit × weight over the first `weights.length` digits of `digits` (ASCII digits only). */
export function weightedSum(digits: string, weights: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += (digits.charCodeAt(i) - 48) * weights[i]!;
  return sum;
}

/** Whether every character of `s` is the same (a placeholder such as 0000000000, never an identifier). */
export function allSame(s: string): boolean {
  for (let i = 1; i < s.length; i++) if (s.charCodeAt(i) !== s.charCodeAt(0)) return false;
  return true;
}

const VERHOEFF_D = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
] as const;
const VERHOEFF_P = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
  [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
  [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
] as const;

/** The Verhoeff check (dihedral group D5) over a string of digits, check digit last. */
export function verhoeffValid(digits: string): boolean {
  if (digits.length === 0) return false;
  let c = 0;
  for (let i = 0; i < digits.length; i++) {
    const d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (d < 0 || d > 9) return false;
    c = VERHOEFF_D[c]![VERHOEFF_P[i % 8]![d]!]!;
  }
  return c === 0;
}

const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/** Days in `month` (1–12) of `year`. */
export function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeap(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Whether year-month-day is a day of the Gregorian calendar. */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  return Number.isInteger(year) && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** The number written by two ASCII digits at `at` of `s`. */
export const twoDigits = (s: string, at: number): number => (s.charCodeAt(at) - 48) * 10 + (s.charCodeAt(at + 1) - 48);

/** Whether the letters of `value` are all capitals (identifiers are printed so; prose and hex are not). */
export function lettersUpperCase(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 97 && c <= 122) return false;
  }
  return true;
}

/** ASCII letters, both cases, for digit leads' `beforeChars`. */
export const ASCII_LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
