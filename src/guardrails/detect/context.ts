/**
 * Context enhancement, as Presidio's LemmaContextAwareEnhancer: a context word among the few
 * words around a finding raises its score by 0.35, to at least 0.4 and at most 1.0.
 */
import type { Finding } from './types.js';

export const CONTEXT_BOOST = 0.35;
export const MIN_SCORE_WITH_CONTEXT = 0.4;
export const CONTEXT_WORDS_BEFORE = 5;
export const CONTEXT_WORDS_AFTER = 2;
const WINDOW_CHARS = 80;

const isWordChar = (c: number) =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 35 || (c > 127 && /[\p{L}\p{N}]/u.test(String.fromCharCode(c)));

/**
 * Lower-cased text of up to `before` words before and `after` words after [start, end), found by
 * walking characters outward (no splitting or allocation per word: this runs once per finding).
 */
export function surroundingWords(text: string, start: number, end: number): { before: string; after: string } {
  let i = start;
  const minI = Math.max(0, start - WINDOW_CHARS);
  for (let words = 0; i > minI && words < CONTEXT_WORDS_BEFORE; ) {
    while (i > minI && !isWordChar(text.charCodeAt(i - 1))) i--;
    if (i === minI) break;
    while (i > minI && isWordChar(text.charCodeAt(i - 1))) i--;
    words++;
  }
  let j = end;
  const maxJ = Math.min(text.length, end + WINDOW_CHARS);
  for (let words = 0; j < maxJ && words < CONTEXT_WORDS_AFTER; ) {
    while (j < maxJ && !isWordChar(text.charCodeAt(j))) j++;
    if (j === maxJ) break;
    while (j < maxJ && isWordChar(text.charCodeAt(j))) j++;
    words++;
  }
  return { before: text.slice(i, start).toLowerCase(), after: text.slice(end, j).toLowerCase() };
}

/** Whether a context word or phrase occurs near the finding (a word contains it, as in Presidio). */
export function hasContext(text: string, f: Finding, words: readonly string[]): boolean {
  if (words.length === 0) return false;
  const { before, after } = surroundingWords(text, f.start, f.end);
  for (const w of words) if (before.includes(w) || after.includes(w)) return true;
  return false;
}

export function boost(score: number): number {
  return Math.min(1, Math.max(MIN_SCORE_WITH_CONTEXT, score + CONTEXT_BOOST));
}
