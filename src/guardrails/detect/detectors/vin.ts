/**
 * VIN — Presidio's VinRecognizer: 17 characters without I, O and Q, with the North-American
 * check digit (FMVSS 115, position 9). A matching check digit scores 0.9 (not 1.0: one random
 * string in eleven passes it); a mismatch drops North-American VINs (WMI 1–5) and leaves others
 * at 0.1, since the rest of the world does not use the check digit — a "VIN" context word lifts
 * those over the threshold. Strings without a letter or without a digit (long numbers, words) are
 * not VINs.
 */
import { stickyCopy } from '../digit-runs.js';
import type { Detector, Finding } from '../types.js';
import { forEachDigitToken } from './anchored-scan.js';
import { isWordChar } from './digit-checks.js';
import { scanDigitPattern } from './digit-scan.js';

export const VIN_CONTEXT = ['vin', 'vehicle identification', 'vehicle', 'chassis'];

export const SCORE_CHECKED = 0.9;
export const SCORE_UNCHECKED = 0.1;

/**
 * Capitals only (Presidio also takes lower case; here lower case only after a VIN keyword): VINs
 * are printed in capitals, and a lower-case class makes every long word a candidate. The first character's class is wider than a VIN's
 * because a simple class is quicker to reject on; I, O and Q fail the check below.
 */
const VIN = /\b[A-Z\d][A-HJ-NPR-Z0-9]{16}\b/g;
/** VIN at a token start: a match is a whole token (`\b` at both ends) and needs a digit to score, so it is looked for only in tokens holding one. */
const VIN_AT = stickyCopy(VIN);

const VIN_CHARS = /^[A-HJ-NPR-Z0-9]{17}$/;
/** After a VIN keyword, a VIN in any case is read too (`VIN: 1hgcm82633a004352`). */
const KEYWORD = /\b(?:VIN|[Vv]in|[Vv]ehicle [Ii]dentification(?: [Nn]umber)?|[Cc]hassis(?: [Nn]umber)?)\b/g;
const KEYWORD_FILLER = /[ \t]{0,3}(?:#|[Nn]o\.?|[Nn]umber)?[ \t]{0,3}[:#=]?[ \t]{0,3}/y;
const ANY_CASE_VIN = /[A-HJ-NPR-Za-hj-npr-z0-9]{17}(?![A-Za-z0-9])/y;

const WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
/** ISO 3779 transliteration of letters to values (I, O and Q never occur). */
const LETTER_VALUES: Record<string, number> = {
  A: 1, B: 2, C: 3, D: 4, E: 5, F: 6, G: 7, H: 8, J: 1, K: 2, L: 3, M: 4, N: 5, P: 7, R: 9, S: 2, T: 3, U: 4, V: 5, W: 6, X: 7, Y: 8, Z: 9,
};

/** The check character (0–9 or X) a 17-character VIN should carry at position 9, or undefined if it has an invalid character. */
export function vinCheckChar(vin: string): string | undefined {
  const v = vin.toUpperCase();
  if (v.length !== 17) return undefined;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const ch = v[i]!;
    const value = ch >= '0' && ch <= '9' ? ch.charCodeAt(0) - 48 : LETTER_VALUES[ch];
    if (value === undefined) return undefined;
    sum += value * WEIGHTS[i]!;
  }
  const r = sum % 11;
  return r === 10 ? 'X' : String(r);
}

export function vinScore(value: string): number {
  const v = value.toUpperCase();
  if (!VIN_CHARS.test(v)) return 0;
  let letters = 0;
  let digits = 0;
  for (const ch of v) {
    if (ch >= '0' && ch <= '9') digits++;
    else letters++;
  }
  if (letters === 0 || digits === 0) return 0;
  const check = vinCheckChar(v);
  if (check === undefined) return 0;
  if (v[8] === check) return SCORE_CHECKED;
  return v[0]! >= '1' && v[0]! <= '5' ? 0 : SCORE_UNCHECKED;
}

const isCapital = (c: number) => c >= 65 && c <= 90;
/** A VIN holds letters and digits only, at least one of each: each of its digit runs has a capital beside it. */
const fitsVin = (text: string, start: number, end: number) => isCapital(text.charCodeAt(start - 1)) || isCapital(text.charCodeAt(end));

export const vin: Detector = {
  id: 'vin',
  entities: ['VIN'],
  context: VIN_CONTEXT,
  regexes: [VIN, VIN_CHARS, KEYWORD, KEYWORD_FILLER, ANY_CASE_VIN],
  detect(input) {
    const text = input.text;
    const out: Finding[] = [];
    scanDigitPattern(input, KEYWORD, (m, at) => {
      KEYWORD_FILLER.lastIndex = at + m[0].length;
      const start = at + m[0].length + KEYWORD_FILLER.exec(text)![0].length;
      ANY_CASE_VIN.lastIndex = start;
      const v = ANY_CASE_VIN.exec(text);
      if (!v || v[0] === v[0].toUpperCase()) return undefined; // capitals are found below
      const score = vinScore(v[0]);
      if (score > 0) out.push({ entity: 'VIN', start, end: start + 17, score, detector: 'vin' });
      return start + 17;
    });
    const visit = (start: number, end: number) => {
      if (end - start !== 17) return;
      VIN_AT.lastIndex = start;
      const m = VIN_AT.exec(text);
      const score = m ? vinScore(m[0]) : 0;
      if (score > 0) out.push({ entity: 'VIN', start, end, score, detector: 'vin' });
    };
    forEachDigitToken(input, isWordChar, fitsVin, visit, VIN);
    return out;
  },
};
