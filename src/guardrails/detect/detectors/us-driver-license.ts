/**
 * US_DRIVER_LICENSE — Presidio's UsLicenseRecognizer: the state formats (letters and digits in
 * fixed shapes, weak 0.3) and bare runs of 6–14 or 16 digits (0.01), case-insensitive, reported
 * only when context words ("driver", "license", "lic#", …) lift them.
 *
 * Presidio's pattern is `\b( alternative | … )\b` over word characters, so a match is always one
 * whole token: we take each token that holds a digit and test its shape against the union of
 * Presidio's alternatives (that overlapping alternation is not provably linear). Presidio's
 * alternative `A-Z]{2}[0-9]{2,5}` (a typo for a character class) can never match a token and is
 * left out.
 */
import type { Detector, Finding } from '../types.js';
import { forEachDigitToken } from './anchored-scan.js';
import { digitsAt, isWordChar } from './digit-checks.js';

const MAX_RUNS = 5;
const L = 1;
const D = 2;
/** A token's letter/digit pattern as a number: one base-3 digit per run, e.g. letters then digits → sig(L, D). */
const sig = (...kinds: number[]) => kinds.reduce((acc, k) => acc * 3 + k, 0);
const LD = sig(L, D);
const LDL = sig(L, D, L);
const DLD = sig(D, L, D);
const DL = sig(D, L);
const LDLDL = sig(L, D, L, D, L);

/** Run lengths of the token last read by `readRuns` (reused: the check runs once per token). */
const runs = new Int32Array(MAX_RUNS);

/**
 * Reads a token's runs of ASCII letters and digits into `runs` and returns its pattern (see `sig`),
 * or -1 for other characters or more than five runs (no licence shape has more).
 */
function readRuns(token: string): number {
  let pattern = 0;
  let count = 0;
  let last = 0;
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    const lower = c | 0x20; // ASCII case fold
    const kind = c >= 48 && c <= 57 ? D : lower >= 97 && lower <= 122 ? L : 0;
    if (kind === 0) return -1;
    if (kind === last) runs[count - 1]!++;
    else {
      if (count === MAX_RUNS) return -1;
      runs[count++] = 1;
      pattern = pattern * 3 + kind;
      last = kind;
    }
  }
  return pattern;
}

const between = (n: number | undefined, lo: number, hi: number) => n !== undefined && n >= lo && n <= hi;

/** Whether a token has one of Presidio's alphanumeric state licence shapes. */
export function alphanumericLicenseShape(token: string): boolean {
  const n = runs;
  switch (readRuns(token)) {
    case LD: // [A-Z][0-9]{1,14}, [A-Z][0-9]{18}, [A-Z]{1,2}[0-9]{5,6}, [A-Z]{2}[0-9]{3,7}
      return (n[0] === 1 && (between(n[1], 1, 14) || n[1] === 18)) || (n[0] === 2 && between(n[1], 3, 7));
    case LDL: // [A-Z][0-9]{6}R, [A-Z]{2}[0-9]{6}[A-Z]
      return n[2] === 1 && n[1] === 6 && ((n[0] === 1 && (token.charCodeAt(token.length - 1) | 0x20) === 114) || n[0] === 2);
    case DLD: // [0-9]{2}[A-Z]{3}[0-9]{5,6}, [0-9]{3}[A-Z]{2}[0-9]{4}
      return (n[0] === 2 && n[1] === 3 && between(n[2], 5, 6)) || (n[0] === 3 && n[1] === 2 && n[2] === 4);
    case DL: // [0-9]{9}[A-Z], [0-9]{8}[A-Z]{2}, [0-9]{7,8}[A-Z]
      return (n[1] === 1 && between(n[0], 7, 9)) || (n[0] === 8 && n[1] === 2);
    case LDLDL: // [A-Z][0-9][A-Z][0-9][A-Z]
      return n[0] === 1 && n[1] === 1 && n[2] === 1 && n[3] === 1 && n[4] === 1;
    default:
      return false;
  }
}

/** Presidio's very weak all-digit form: 6–14 or 16 digits. */
export function digitLicenseShape(token: string): boolean {
  const len = token.length;
  return (between(len, 6, 14) || len === 16) && digitsAt(token, 0, len);
}

/**
 * Presidio's score for a whole token: 0.3 for a state shape (Alphanumeric, weak), 0.01 for 6–14
 * or 16 digits (Digits, very weak), undefined otherwise.
 */
export function licenseTokenScore(token: string): number | undefined {
  if (token.length < 2 || token.length > 19) return undefined;
  // Most tokens in prose are short plain numbers: settle those without building a shape.
  if (digitsAt(token, 0, token.length)) return digitLicenseShape(token) ? 0.01 : undefined;
  return alphanumericLicenseShape(token) ? 0.3 : undefined;
}

const isLetter = (c: number) => (c | 0x20) >= 97 && (c | 0x20) <= 122;

/**
 * Every accepted token has a letter next to a digit or six digits in a row: such a digit run
 * anchors the token around it (a word-start regex would try every word; a plain digit, every
 * short number). The runs come from the scan input's index; the regex is for text too dense
 * with digits to have one.
 */
const anchors = (text: string, start: number, end: number) => end - start >= 6 || isLetter(text.charCodeAt(start - 1)) || isLetter(text.charCodeAt(end));
const ANCHOR = /[a-z]\d|\d[a-z]|\d{6}/gi;

export const usDriverLicenseDetector: Detector = {
  id: 'us-driver-license',
  entities: ['US_DRIVER_LICENSE'],
  context: ['driver', 'license', 'permit', 'lic', 'identification', 'dls', 'cdls', 'lic#', 'driving'],
  regexes: [ANCHOR],
  detect(input) {
    const { text } = input;
    const out: Finding[] = [];
    // The token is the run of word characters around the anchor, as `\b…\b` bounds it.
    const visit = (start: number, end: number) => {
      const len = end - start;
      if (len < 2 || len > 19) return;
      const score = licenseTokenScore(text.slice(start, end));
      if (score !== undefined) out.push({ entity: 'US_DRIVER_LICENSE', start, end, score, detector: 'us-driver-license' });
    };
    forEachDigitToken(input, isWordChar, anchors, visit, ANCHOR);
    return out;
  },
};
