/**
 * Context enhancement, as Presidio's LemmaContextAwareEnhancer: a context word among the few
 * words around a finding raises its score by 0.35, to at least 0.4 and at most 1.0.
 */
import type { ContextWindow, Finding } from './types.js';

export type { ContextWindow };

export const CONTEXT_BOOST = 0.35;
export const MIN_SCORE_WITH_CONTEXT = 0.4;
export const CONTEXT_WORDS_BEFORE = 5;
export const CONTEXT_WORDS_AFTER = 2;
/** The window reaches at most this many characters each way (more for a window of many words)… */
const WINDOW_CHARS = 80;
/** …namely this many per word. */
const CHARS_PER_WORD = 16;
const reach = (words: number) => Math.max(WINDOW_CHARS, words * CHARS_PER_WORD);

export const DEFAULT_CONTEXT_WINDOW: ContextWindow = { before: CONTEXT_WORDS_BEFORE, after: CONTEXT_WORDS_AFTER };

/** ASCII word characters for the window walk: letters, digits and '#' (1), by char code. */
const ASCII_WORD = new Uint8Array(128);
for (let c = 0; c < 128; c++) ASCII_WORD[c] = +((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 35);
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const isWordChar = (c: number) => (c < 128 ? ASCII_WORD[c] === 1 : LETTER_OR_DIGIT.test(String.fromCharCode(c)));
/** ASCII lower case by char code (A–Z folded, everything else as is). */
const FOLD = new Uint8Array(128);
for (let c = 0; c < 128; c++) FOLD[c] = c >= 65 && c <= 90 ? c + 32 : c;

/** Start of the window: up to `words` words before `start`, within `reach(words)` characters. */
function windowStart(text: string, start: number, words: number): number {
  let i = start;
  const minI = Math.max(0, start - reach(words));
  for (let n = 0; i > minI && n < words; n++) {
    while (i > minI && !isWordChar(text.charCodeAt(i - 1))) i--;
    if (i === minI) break;
    while (i > minI && isWordChar(text.charCodeAt(i - 1))) i--;
  }
  return i;
}

/** End of the window: up to `words` words after `end`, within `reach(words)` characters. */
function windowEnd(text: string, end: number, words: number): number {
  let j = end;
  const maxJ = Math.min(text.length, end + reach(words));
  for (let n = 0; j < maxJ && n < words; n++) {
    while (j < maxJ && !isWordChar(text.charCodeAt(j))) j++;
    if (j === maxJ) break;
    while (j < maxJ && isWordChar(text.charCodeAt(j))) j++;
  }
  return j;
}

/**
 * Lower-cased text of up to `before` words before and `after` words after [start, end), found by
 * walking characters outward.
 */
export function surroundingWords(text: string, start: number, end: number, window: ContextWindow = DEFAULT_CONTEXT_WINDOW): { before: string; after: string } {
  const i = windowStart(text, start, window.before);
  const j = windowEnd(text, end, window.after);
  return { before: text.slice(i, start).toLowerCase(), after: text.slice(end, j).toLowerCase() };
}

/** What a search of part of a window found: nothing, a word, or a non-ASCII character (whose lower case may differ in length, so the plain path decides). */
type Seen = 0 | 1 | 2;
const NOTHING = 0;
const WORD = 1;
const NON_ASCII = 2;

/**
 * A detector's context words, ready to be looked for around many findings: grouped by first
 * character, so that the window is read in place — no slicing or lower-casing per finding (the
 * analyzer runs this for nearly every finding) — and the words before a finding are looked for
 * while the window's start is being found, in the same walk. Windows holding non-ASCII characters
 * take the plain path (slice, lower-case, `includes`).
 */
export class ContextMatcher {
  readonly words: readonly string[];
  readonly window: ContextWindow;
  /** 1 + the index in `groups` of the words starting with a char code (0: none). */
  private readonly first = new Uint8Array(128);
  private readonly groups: string[][] = [];
  /** A word that is empty or not lower-case ASCII: every window takes the plain path. */
  private readonly plainOnly: boolean;

  constructor(words: readonly string[], window: ContextWindow = DEFAULT_CONTEXT_WINDOW) {
    this.words = words;
    this.window = window;
    let plainOnly = false;
    for (const w of words) {
      if (w.length === 0 || !/^[\x00-\x40\x5b-\x7f]+$/.test(w)) {
        plainOnly = true;
        continue;
      }
      const c = w.charCodeAt(0);
      if (this.first[c] === 0) {
        this.groups.push([]);
        this.first[c] = this.groups.length;
      }
      this.groups[this.first[c]! - 1]!.push(w);
    }
    this.plainOnly = plainOnly;
  }

  /** Whether a context word occurs (inside a word, as in Presidio) near [start, end). */
  test(text: string, start: number, end: number): boolean {
    if (this.words.length === 0) return false;
    if (!this.plainOnly) {
      const before = this.walkBefore(text, start);
      if (before === WORD) return true;
      if (before === NOTHING) {
        const after = this.wordIn(text, end, windowEnd(text, end, this.window.after));
        if (after !== NON_ASCII) return after === WORD;
      }
    }
    const before = text.slice(windowStart(text, start, this.window.before), start).toLowerCase();
    const after = text.slice(end, windowEnd(text, end, this.window.after)).toLowerCase();
    for (const w of this.words) if (before.includes(w) || after.includes(w)) return true;
    return false;
  }

  /**
   * Walks back over the window before `start` as `windowStart` does, looking for a word at each
   * character passed: every character passed lies in the window, and a word found there ends by
   * `start`.
   */
  private walkBefore(text: string, start: number): Seen {
    const words = this.window.before;
    let i = start;
    const minI = Math.max(0, start - reach(words));
    for (let n = 0; i > minI && n < words; n++) {
      while (i > minI && !isWordChar(text.charCodeAt(i - 1))) {
        i--;
        const seen = this.wordAt(text, i, start);
        if (seen !== NOTHING) return seen;
      }
      if (i === minI) break;
      while (i > minI && isWordChar(text.charCodeAt(i - 1))) {
        i--;
        const seen = this.wordAt(text, i, start);
        if (seen !== NOTHING) return seen;
      }
    }
    return NOTHING;
  }

  /** Whether a word occurs inside text[from, to). */
  private wordIn(text: string, from: number, to: number): Seen {
    for (let k = from; k < to; k++) {
      const seen = this.wordAt(text, k, to);
      if (seen !== NOTHING) return seen;
    }
    return NOTHING;
  }

  /** Whether a word starts at `at` and ends by `to` (ASCII case-folded). */
  private wordAt(text: string, at: number, to: number): Seen {
    const c = text.charCodeAt(at);
    if (c > 127) return NON_ASCII;
    const g = this.first[FOLD[c]!]!;
    if (g === 0) return NOTHING;
    for (const w of this.groups[g - 1]!) {
      if (at + w.length > to) continue;
      let k = 1;
      while (k < w.length) {
        const d = text.charCodeAt(at + k);
        if ((d < 128 ? FOLD[d] : d) !== w.charCodeAt(k)) break;
        k++;
      }
      if (k === w.length) return WORD;
    }
    return NOTHING;
  }
}

/** Whether a context word or phrase occurs near the finding (a word contains it, as in Presidio). */
export function hasContext(text: string, f: Finding, words: readonly string[], window: ContextWindow = DEFAULT_CONTEXT_WINDOW): boolean {
  return new ContextMatcher(words, window).test(text, f.start, f.end);
}

export function boost(score: number): number {
  // Rounded: 0.1 + 0.35 would otherwise report as 0.44999999999999996.
  return Math.min(1, Math.max(MIN_SCORE_WITH_CONTEXT, Math.round((score + CONTEXT_BOOST) * 1e6) / 1e6));
}
