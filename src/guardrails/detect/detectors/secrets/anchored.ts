/**
 * Pattern detectors for tokens with a fixed prefix (`ghp_`, `xoxb-`, `AKIA`). Three steps, each
 * linear and provably free of catastrophic backtracking:
 * 1. `indexOf` finds the literal prefixes (tens of times faster than a regex pass over prose);
 * 2. a sticky `extract` regex — prefix + one bounded character class, which cannot fail once
 *    the prefix matched — takes the whole candidate token, longer than any valid one;
 * 3. an anchored `shape` regex (`^…$`) checks the exact structure and length, which also makes
 *    the token boundary exact: a token glued to more token characters is too long.
 * Then the `patternDetector` contract: base score, invalidate, validate.
 */
import type { Detector, Finding, Verdict } from '../../types.js';
import { forEachLiteral, matchAt, startsToken } from './scan.js';

export interface AnchoredPattern {
  name: string;
  /** Literals found with `indexOf`; every token contains one of them, `lead` characters in. */
  anchors: readonly string[];
  /**
   * Where the anchor sits in the token: characters before it (default 0, a prefix), or a
   * function from an anchor hit to the token's start (-1: none). `indexOf` is fastest on a short
   * literal that starts with a rare character, so anchoring inside the prefix (`_live_` in
   * `sk_live_`, `J` in `eyJ`) skips the common letters prose is made of.
   */
  lead?: number | ((text: string, hit: number) => number);
  /** Sticky (`y`): the prefix, then a bounded class a little wider and longer than the token's. */
  extract: RegExp;
  /** `^…$`: the token's exact structure. */
  shape: RegExp;
  score: number;
  /** Moves the finding's start left over text that belongs to the secret (e.g. `https://`). */
  widen?: (text: string, start: number) => number;
}

export interface AnchoredSpec {
  id: string;
  entity: string;
  patterns: readonly AnchoredPattern[];
  context?: readonly string[];
  /** Known-invalid values: true drops the match. */
  invalidate?: (value: string, pattern: AnchoredPattern) => boolean;
  /** true → 1.0, false → dropped, number → that score, undefined → the pattern's score. */
  validate?: (value: string, pattern: AnchoredPattern) => Verdict;
}

/** Sentence punctuation that may follow a token but never ends one. */
function trimTrailingDots(s: string): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 46) end--;
  return end === s.length ? s : s.slice(0, end);
}

export function anchoredDetector(spec: AnchoredSpec): Detector {
  for (const p of spec.patterns) {
    if (!p.extract.sticky) throw new Error(`${spec.id}: pattern ${p.name} extract needs the y flag`);
    if (!p.shape.source.startsWith('^') || !p.shape.source.endsWith('$')) throw new Error(`${spec.id}: pattern ${p.name} shape must be anchored`);
  }
  return {
    id: spec.id,
    entities: [spec.entity],
    context: spec.context ?? [],
    regexes: spec.patterns.flatMap((p) => [p.extract, p.shape]),
    detect(input) {
      const { text } = input;
      const out: Finding[] = [];
      const seen = new Set<number>();
      for (const p of spec.patterns) {
        for (const anchor of p.anchors) {
          let next = 0;
          const lead = p.lead ?? 0;
          forEachLiteral(text, anchor, (hit) => {
            const at = typeof lead === 'number' ? hit - lead : lead(text, hit);
            // Anchors inside a candidate already taken are part of it, not new tokens.
            if (at < next || at < 0 || seen.has(at) || !startsToken(text, at)) return;
            const m = matchAt(p.extract, text, at);
            if (!m) return;
            next = at + m[0].length;
            const value = trimTrailingDots(m[0]);
            if (!p.shape.test(value) || spec.invalidate?.(value, p)) return;
            const verdict = spec.validate?.(value, p);
            if (verdict === false) return;
            const score = verdict === true ? 1 : typeof verdict === 'number' ? verdict : p.score;
            if (score <= 0) return;
            seen.add(at);
            const start = p.widen ? p.widen(text, at) : at;
            out.push({ entity: spec.entity, start, end: at + value.length, score, detector: spec.id });
          });
        }
      }
      return out;
    },
  };
}
