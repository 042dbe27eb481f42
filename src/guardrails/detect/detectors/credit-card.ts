/**
 * CREDIT_CARD — Presidio's CreditCardRecognizer: 13–19 digits with an issuer prefix (1, 3, 4,
 * 5[0-5], 6), optional single spaces or dashes between groups, and the Luhn check (valid → 1.0,
 * invalid → dropped).
 *
 * Presidio's regex `\b(?!1\d{12}(?!\d))(4\d{3}|5[0-5]\d{2}|6\d{3}|1\d{3}|3\d{3})[- ]?(\d{3,4})
 * [- ]?(\d{3,4})[- ]?(\d{3,5})\b` backtracks over its optional groups, so it is not provably
 * linear; `cardMatchEnd` reproduces its leftmost-first match in constant time per candidate.
 */
import type { Detector, Finding } from '../types.js';
import { scanAnchors } from './anchored-scan.js';
import { digitsAt, digitsOf, isWordChar, luhnValid } from './digit-checks.js';

/**
 * Where a card number can start: a word boundary and Presidio's issuer prefixes, plus Mastercard's
 * 2-series (2221–2720, issued since 2017), which Presidio's pattern predates — and more digits
 * after the first four, as the second group (`cardMatchEnd`) needs.
 */
const ANCHOR = /\b(?:[1346]\d|5[0-5]|2[2-7])\d{2}(?=[- ]?\d)/g;
/** Every anchor match opens a run of four digits and a separator, or of five or more. */
const ANCHOR_LEAD = [{ runs: [4], next: ' -' }, { runs: { min: 5 } }];
const isMastercard2 = (four: number) => four >= 2221 && four <= 2720;

export const CREDIT_CARD_CONTEXT = ['credit', 'card', 'visa', 'mastercard', 'cc ', 'amex', 'discover', 'jcb', 'diners', 'maestro', 'instapayment'];

const isSep = (c: number) => c === 32 || c === 45; // ' ' or '-'

/**
 * End (exclusive) of Presidio's card match starting at `p` (four prefix digits already matched),
 * or -1. Tries the group lengths in the regex's backtracking order; a separator is taken whenever
 * present, as the optional `[- ]?` is greedy and a digit group cannot start with one.
 */
export function cardMatchEnd(text: string, p: number): number {
  // (?!1\d{12}(?!\d)): a 13-digit number starting with 1 is not a card
  if (text.charCodeAt(p) === 49 && digitsAt(text, p, 13) && !digitsAt(text, p + 13, 1)) return -1;
  const a = skipSep(text, p + 4);
  for (let g2 = 4; g2 >= 3; g2--) {
    if (!digitsAt(text, a, g2)) continue;
    const b = skipSep(text, a + g2);
    for (let g3 = 4; g3 >= 3; g3--) {
      if (!digitsAt(text, b, g3)) continue;
      const c = skipSep(text, b + g3);
      for (let g4 = 5; g4 >= 3; g4--) {
        if (!digitsAt(text, c, g4)) continue;
        const end = c + g4;
        if (end === text.length || !isWordChar(text.charCodeAt(end))) return end;
      }
    }
  }
  return -1;
}

/** `i`, or past the separator there. */
const skipSep = (text: string, i: number) => (isSep(text.charCodeAt(i)) ? i + 1 : i);

/** Presidio's validation: the Luhn check over the digits. */
export function creditCardValid(value: string): boolean {
  return luhnValid(digitsOf(value));
}

/** The Luhn check over the digits of text[start, end) (separators skipped), without copying them. */
function luhnValidIn(text: string, start: number, end: number): boolean {
  let sum = 0;
  let n = 0;
  for (let i = end - 1; i >= start; i--) {
    let d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) continue;
    if (n++ % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return n > 0 && sum % 10 === 0;
}

export const creditCardDetector: Detector = {
  id: 'credit-card',
  entities: ['CREDIT_CARD'],
  context: CREDIT_CARD_CONTEXT,
  regexes: [ANCHOR],
  leads: [{ regex: ANCHOR, lead: ANCHOR_LEAD }],
  detect(input) {
    const out: Finding[] = [];
    scanAnchors(input, ANCHOR, true, (text, m, offset) => {
      if (m[0].charCodeAt(0) === 50 && !isMastercard2(Number(m[0]))) return undefined; // 2…
      const end = cardMatchEnd(text, m.index);
      if (end < 0) return undefined;
      if (luhnValidIn(text, m.index, end)) {
        out.push({ entity: 'CREDIT_CARD', start: offset + m.index, end: offset + end, score: 1, detector: 'credit-card' });
      }
      return end;
    }, ANCHOR_LEAD);
    return out;
  },
};
