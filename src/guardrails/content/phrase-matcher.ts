/**
 * Whole-word phrase matching in linear time (Aho-Corasick): one automaton for the whole list, so
 * a pack with thousands of banned terms scans the text once, not once per term. Works on
 * normalised text (see normalize.ts); reports spans of the original text.
 */
import { NORMALIZE_REGEXES, normalizeForMatching, normalizeTerm } from './normalize.js';

export interface PhraseMatch {
  /** Index of the phrase in the list given to `phraseMatcher`. */
  phrase: number;
  /** Span in the original text. */
  start: number;
  end: number;
}

export interface PhraseMatcher {
  /** The canonical (normalised) phrases, in input order; duplicates share the first index. */
  readonly phrases: readonly string[];
  match(text: string): PhraseMatch[];
}

const WORD = /^[\p{L}\p{N}\p{M}_]$/u;
// Scripts written without spaces between words: a phrase edge in these scripts needs no boundary.
const UNSPACED = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]$/u;

/** Every regex a phrase matcher runs over input (normalisation included), for the ReDoS proof. */
export const PHRASE_MATCHER_REGEXES: readonly RegExp[] = [...NORMALIZE_REGEXES, WORD, UNSPACED];

/** Takes a code point (not a UTF-16 unit), so astral letters and emoji are told apart. */
function isWordChar(c: number): boolean {
  if (c < 0x80) return (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
  return WORD.test(String.fromCodePoint(c));
}

function needsBoundary(c: number): boolean {
  return isWordChar(c) && !(c >= 0x0e00 && UNSPACED.test(String.fromCodePoint(c)));
}

/** The code point that ends just before index `i`. */
function codePointBefore(t: string, i: number): number {
  const lo = t.charCodeAt(i - 1);
  if (lo >= 0xdc00 && lo <= 0xdfff && i >= 2) return t.codePointAt(i - 2)!;
  return lo;
}

interface Node {
  next: Map<number, number>;
  fail: number;
  /** Phrases ending here (own and via fail links), as indices into `phrases`. */
  out: number[];
}

/**
 * Builds the automaton. `phrases` are normalised here; an empty phrase after normalisation is a
 * caller error (it would match everywhere).
 */
export function phraseMatcher(rawPhrases: readonly string[]): PhraseMatcher {
  const phrases: string[] = [];
  const index = new Map<string, number>();
  const nodes: Node[] = [{ next: new Map(), fail: 0, out: [] }];
  for (const raw of rawPhrases) {
    const p = normalizeTerm(raw);
    if (p.length === 0) throw new Error(`phrase ${JSON.stringify(raw)} is empty after normalisation`);
    if (index.has(p)) {
      phrases.push(p);
      continue;
    }
    index.set(p, phrases.length);
    phrases.push(p);
    let at = 0;
    for (let k = 0; k < p.length; k++) {
      const c = p.charCodeAt(k);
      let to = nodes[at]!.next.get(c);
      if (to === undefined) {
        to = nodes.length;
        nodes.push({ next: new Map(), fail: 0, out: [] });
        nodes[at]!.next.set(c, to);
      }
      at = to;
    }
    nodes[at]!.out.push(index.get(p)!);
  }
  // Per phrase: does its first / last character need a word boundary next to it?
  const edges = phrases.map((p) => [needsBoundary(p.codePointAt(0)!), needsBoundary(codePointBefore(p, p.length))] as const);
  // Breadth-first: fail links and inherited outputs.
  const queue: number[] = [];
  for (const child of nodes[0]!.next.values()) queue.push(child);
  for (let q = 0; q < queue.length; q++) {
    const u = queue[q]!;
    for (const [c, v] of nodes[u]!.next) {
      let f = nodes[u]!.fail;
      while (f !== 0 && !nodes[f]!.next.has(c)) f = nodes[f]!.fail;
      const target = nodes[f]!.next.get(c);
      nodes[v]!.fail = target !== undefined && target !== v ? target : 0;
      const inherited = nodes[nodes[v]!.fail]!.out;
      if (inherited.length > 0) nodes[v]!.out = [...nodes[v]!.out, ...inherited];
      queue.push(v);
    }
  }

  return {
    phrases,
    match(text) {
      const norm = normalizeForMatching(text);
      const t = norm.text;
      const found: PhraseMatch[] = [];
      let at = 0;
      for (let i = 0; i < t.length; i++) {
        const c = t.charCodeAt(i);
        while (at !== 0 && !nodes[at]!.next.has(c)) at = nodes[at]!.fail;
        at = nodes[at]!.next.get(c) ?? 0;
        for (const id of nodes[at]!.out) {
          const p = phrases[id]!;
          const s = i - p.length + 1;
          // Whole words only: a word character at a phrase edge must not continue outside it.
          const [left, right] = edges[id]!;
          if (left && s > 0 && isWordChar(codePointBefore(t, s))) continue;
          if (right && i + 1 < t.length && isWordChar(t.codePointAt(i + 1)!)) continue;
          const [start, end] = norm.toOriginal(s, i + 1);
          found.push({ phrase: id, start, end });
        }
      }
      return found;
    },
  };
}
