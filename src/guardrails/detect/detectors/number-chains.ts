/**
 * Whole numbers, found once per scan and shared by the national-number detectors (AU, CA, IN, PL,
 * SE, UK, ZA). Their patterns are all "a number of one of a few shapes": nine to thirteen digits,
 * bare or in groups joined by single separators (`51 824 753 556`, `130-692-544`,
 * `3123:4567:8909`, `871220+2384`).
 *
 * A number must stand alone. Presidio's patterns stop at word boundaries only, so they find an
 * Aadhaar number in the first twelve digits of a card written in fours, and a Canadian SIN in
 * "+61 412 206 104" (an Australian mobile number). Here the digit groups joined by single
 * separators form a chain, and a number is
 * - a whole chain, or a part of one between spaces that holds no space itself — "876543210
 *   123456782" in a table row is two numbers, "4111 1111 1111 1111" is one;
 * - never in a chain that follows a `+` (a phone number's country code: "+61412345678" is no ABN).
 *
 * So instead of a regex per detector tried at every digit run, the numbers are listed once from the
 * scan input's digit runs and each detector only compares its shapes and runs its check: a dozen
 * detectors for the price of one pass.
 */
import type { Detector, Finding, ScanInput } from '../types.js';
import { scanDigitPattern } from './digit-scan.js';
import { isWordChar } from './digit-checks.js';

/** A number: digit groups joined by single separators (space : - +). */
export interface NumberChain {
  readonly start: number;
  readonly end: number;
  /** Digits in each group, in order. */
  readonly groups: readonly number[];
  /** The separator before each group after the first. */
  readonly seps: string;
}

/**
 * Numbers of this many digits, in at most MAX_GROUPS groups, are listed: the shapes the detectors
 * take. A dot joins digit groups into a chain (`192.168.1.20`, `1.876543210`) but no identifier
 * here is written with one, so no number holding a dot is listed.
 */
export const MIN_CHAIN_DIGITS = 9;
export const MAX_CHAIN_DIGITS = 13;
const MAX_GROUPS = 4;

/** A chain as a regex, for inputs whose digits are too dense to list runs (same chains, one pass). */
export const CHAIN = /\d+(?:[ .:+-]\d+)*/g;

const SPACE = 32;
const PLUS = 43;
const DOT = 46;
const isSep = (c: number) => c === SPACE || c === DOT || c === 58 || c === 45 || c === PLUS; // space . : - +

/**
 * Lists the numbers of the chain whose groups are [starts[first], ends[first]) … [starts[last],
 * ends[last]): the whole chain and, when it holds spaces, its parts between them.
 */
function listChain(text: string, starts: ArrayLike<number>, ends: ArrayLike<number>, first: number, last: number, out: NumberChain[]): void {
  const chainStart = starts[first]!;
  const before = text.charCodeAt(chainStart - 1);
  if (before === PLUS || (isSep(before) && text.charCodeAt(chainStart - 2) === PLUS)) return;
  list(text, starts, ends, first, last, out);
  let spaced = false;
  for (let k = first + 1; k <= last && !spaced; k++) spaced = text.charCodeAt(starts[k]! - 1) === SPACE;
  if (!spaced) return;
  let from = first;
  for (let k = first + 1; k <= last + 1; k++) {
    if (k <= last && text.charCodeAt(starts[k]! - 1) !== SPACE) continue;
    if (!(from === first && k - 1 === last)) list(text, starts, ends, from, k - 1, out);
    from = k;
  }
}

/** Lists groups first…last as one number when its digits and groups are in range, and it holds no dot. */
function list(text: string, starts: ArrayLike<number>, ends: ArrayLike<number>, first: number, last: number, out: NumberChain[]): void {
  if (last - first >= MAX_GROUPS) return;
  let digits = ends[first]! - starts[first]!;
  for (let k = first + 1; k <= last; k++) {
    if (text.charCodeAt(starts[k]! - 1) === DOT) return;
    digits += ends[k]! - starts[k]!;
  }
  if (digits < MIN_CHAIN_DIGITS || digits > MAX_CHAIN_DIGITS) return;
  const groups: number[] = [];
  let seps = '';
  for (let k = first; k <= last; k++) {
    if (k > first) seps += text[starts[k]! - 1];
    groups.push(ends[k]! - starts[k]!);
  }
  out.push({ start: starts[first]!, end: ends[last]!, groups, seps });
}

/** The numbers of `text` from its digit runs. */
export function chainsFromRuns(text: string, runs: NonNullable<ReturnType<ScanInput['digitRuns']>>): NumberChain[] {
  const out: NumberChain[] = [];
  const { start: starts, end: ends, count } = runs;
  for (let r = 0; r < count; ) {
    let last = r;
    let digits = ends[r]! - starts[r]!;
    while (last + 1 < count && starts[last + 1] === ends[last]! + 1 && isSep(text.charCodeAt(ends[last]!))) {
      last++;
      digits += ends[last]! - starts[last]!;
    }
    // A chain of fewer digits holds no number; most chains are short.
    if (digits >= MIN_CHAIN_DIGITS) listChain(text, starts, ends, r, last, out);
    r = last + 1;
  }
  return out;
}

/** The numbers of the input by the CHAIN regex (the digits are too dense to list runs). */
export function chainsFromRegex(input: ScanInput): NumberChain[] {
  const out: NumberChain[] = [];
  const { text } = input;
  scanDigitPattern(input, CHAIN, (m, start) => {
    const starts: number[] = [start];
    const ends: number[] = [];
    for (let i = 0; i < m[0].length; i++) {
      const c = m[0].charCodeAt(i);
      if (c >= 48 && c <= 57) continue;
      ends.push(start + i);
      starts.push(start + i + 1);
    }
    ends.push(start + m[0].length);
    if (m[0].length - (starts.length - 1) >= MIN_CHAIN_DIGITS) listChain(text, starts, ends, 0, starts.length - 1, out);
    return undefined;
  });
  return out;
}

const cache = new WeakMap<ScanInput, readonly NumberChain[]>();

/** The input's numbers of nine to thirteen digits, listed on first use. */
export function numberChains(input: ScanInput): readonly NumberChain[] {
  let chains = cache.get(input);
  if (!chains) {
    const runs = input.digitRuns();
    chains = runs ? chainsFromRuns(input.text, runs) : chainsFromRegex(input);
    cache.set(input, chains);
  }
  return chains;
}

/** Whether the number has these group sizes, every separator one of `seps` (e.g. ' ', '- '). */
export function chainIs(chain: NumberChain, groups: readonly number[], seps = ''): boolean {
  if (chain.groups.length !== groups.length) return false;
  for (let i = 0; i < groups.length; i++) if (chain.groups[i] !== groups[i]) return false;
  for (let i = 0; i < chain.seps.length; i++) if (!seps.includes(chain.seps[i]!)) return false;
  return true;
}

export interface ChainDetectorSpec {
  id: string;
  entity: string;
  context: string[];
  contextWindow?: { before: number; after: number };
  /** The number is a whole word (`\b` both sides); else letters may touch it. */
  wordBounded: boolean;
  /** Whether the number has one of the entity's shapes (group sizes, separators). */
  shape: (chain: NumberChain) => boolean;
  /** The score of a number of that shape (`value` is its text) after its check; 0: not one. */
  score: (value: string, chain: NumberChain) => number;
}

/** A detector reporting the numbers of its shapes that `score` accepts. */
export function chainDetector(spec: ChainDetectorSpec): Detector {
  return {
    id: spec.id,
    entities: [spec.entity],
    context: spec.context,
    ...(spec.contextWindow ? { contextWindow: spec.contextWindow } : {}),
    regexes: [CHAIN],
    detect(input) {
      const out: Finding[] = [];
      const { text } = input;
      for (const chain of numberChains(input)) {
        if (!spec.shape(chain)) continue;
        const { start, end } = chain;
        if (spec.wordBounded && (isWordChar(text.charCodeAt(start - 1)) || isWordChar(text.charCodeAt(end)))) continue;
        const score = spec.score(text.slice(start, end), chain);
        if (score > 0) out.push({ entity: spec.entity, start, end, score, detector: spec.id });
      }
      return out;
    },
  };
}
