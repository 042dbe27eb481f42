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

/** Lower-cased words around [start, end): up to `before` words before and `after` words after. */
export function surroundingWords(text: string, start: number, end: number): { before: string; after: string } {
  const left = text.slice(Math.max(0, start - WINDOW_CHARS), start).toLowerCase();
  const right = text.slice(end, Math.min(text.length, end + WINDOW_CHARS)).toLowerCase();
  const lw = left.split(/[^\p{L}\p{N}#]+/u).filter(Boolean);
  const rw = right.split(/[^\p{L}\p{N}#]+/u).filter(Boolean);
  return { before: lw.slice(-CONTEXT_WORDS_BEFORE).join(' '), after: rw.slice(0, CONTEXT_WORDS_AFTER).join(' ') };
}

/** Whether a context word or phrase occurs near the finding (a word contains it, as in Presidio). */
export function hasContext(text: string, f: Finding, words: readonly string[]): boolean {
  if (words.length === 0) return false;
  const { before, after } = surroundingWords(text, f.start, f.end);
  const near = `${before} ${after}`;
  return words.some((w) => near.includes(w));
}

export function boost(score: number): number {
  return Math.min(1, Math.max(MIN_SCORE_WITH_CONTEXT, score + CONTEXT_BOOST));
}
