/**
 * Whole words holding a digit, listed once per scan and shared by the detectors of identifiers that
 * are one word of letters and digits (UK passport, NRIC/FIN, PAN, codice fiscale, DVLA licence).
 * Their patterns are `\b…\b` around word characters only, so a match is exactly such a word: instead
 * of a regex per detector tried at every digit run, the words are listed once (from the scan
 * input's digit runs) and each detector tests only the words of its length.
 */
import type { Detector, Finding, ScanInput } from '../types.js';
import { forEachDigitToken } from './anchored-scan.js';
import { isWordChar } from './digit-checks.js';

/** Shortest and longest word kept: the identifiers read this way (a passport number … a codice fiscale). */
export const MIN_DIGIT_WORD = 9;
export const MAX_DIGIT_WORD = 16;

/** Words as parallel lists: word i starts at start[i] and is length[i] characters long. */
export interface DigitWords {
  readonly start: readonly number[];
  readonly length: readonly number[];
}

/** Where a word with a digit holds one (for inputs whose digits are too dense to list runs). */
const DIGIT = /\d/g;

/** ASCII word characters (`\w`), by char code. */
const WORD = new Uint8Array(128);
for (let c = 0; c < 128; c++) WORD[c] = +isWordChar(c);
const isWord = (c: number) => c < 128 && WORD[c] === 1;

const cache = new WeakMap<ScanInput, DigitWords>();

/** The input's words of word characters (`\w`) that hold a digit, MIN_DIGIT_WORD…MAX_DIGIT_WORD long. */
export function digitWords(input: ScanInput): DigitWords {
  let words = cache.get(input);
  if (!words) {
    const found = { start: [] as number[], length: [] as number[] };
    const runs = input.digitRuns();
    if (runs) wordsFromRuns(input.text, runs.start, runs.end, runs.count, found);
    else forEachDigitToken(input, isWordChar, () => true, (s, e) => keep(found, s, e - s), DIGIT);
    words = found;
    cache.set(input, words);
  }
  return words;
}

/**
 * The words around the digit runs, each once. A word is followed at most MAX_DIGIT_WORD + 1
 * characters each way: a longer one is not kept (a later run inside it looks again, as far).
 */
function wordsFromRuns(text: string, starts: Int32Array, ends: Int32Array, count: number, found: { start: number[]; length: number[] }): void {
  const n = text.length;
  let visited = 0; // runs before this index lie in a word already seen
  for (let r = 0; r < count; r++) {
    const s = starts[r]!;
    if (s < visited) continue;
    let a = s;
    while (a > 0 && isWord(text.charCodeAt(a - 1)) && s - a <= MAX_DIGIT_WORD) a--;
    let b = ends[r]!;
    while (b < n && isWord(text.charCodeAt(b)) && b - a <= MAX_DIGIT_WORD) b++;
    visited = b;
    if (!(a > 0 && isWord(text.charCodeAt(a - 1))) && !(b < n && isWord(text.charCodeAt(b)))) keep(found, a, b - a);
  }
}

function keep(found: { start: number[]; length: number[] }, start: number, length: number): void {
  if (length < MIN_DIGIT_WORD || length > MAX_DIGIT_WORD) return;
  found.start.push(start);
  found.length.push(length);
}

export interface WordDetectorSpec {
  id: string;
  entity: string;
  context: string[];
  contextWindow?: { before: number; after: number };
  /** The word's length (every length the entity's pattern allows). */
  length: number;
  /** The entity's pattern over the whole word (anchored, no g flag). */
  pattern: RegExp;
  /** The score of a word the pattern accepts, after its checks; 0: not one. */
  score: (word: string) => number;
}

/** A detector reporting the words of its length that its pattern and score accept. */
export function wordDetector(spec: WordDetectorSpec): Detector {
  const { pattern, length } = spec;
  if (pattern.global || pattern.sticky) throw new Error(`${spec.id}: a word pattern is tested whole, without the g or y flag`);
  return {
    id: spec.id,
    entities: [spec.entity],
    context: spec.context,
    ...(spec.contextWindow ? { contextWindow: spec.contextWindow } : {}),
    regexes: [DIGIT, pattern],
    detect(input) {
      const out: Finding[] = [];
      const { text } = input;
      const words = digitWords(input);
      for (let i = 0; i < words.start.length; i++) {
        if (words.length[i] !== length) continue;
        const start = words.start[i]!;
        const end = start + length;
        const word = text.slice(start, end);
        if (!pattern.test(word)) continue;
        const score = spec.score(word);
        if (score > 0) out.push({ entity: spec.entity, start, end, score, detector: spec.id });
      }
      return out;
    },
  };
}
