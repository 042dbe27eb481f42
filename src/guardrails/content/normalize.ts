/**
 * Text normalisation for matching, with a map back to the original offsets. Findings must point
 * into the text the caller gave us, while matchers want a canonical form in which simple
 * obfuscation ("ｂｏｍｂ", "b\u200Bomb", "𝐛𝐨𝐦𝐛", "BOMB") no longer hides a word.
 *
 * The canonical form: NFKC, lower case, default-ignorable code points (zero-width spaces and
 * joiners, soft hyphens, variation selectors, bidi controls, Unicode tag characters) removed,
 * and every run of white space collapsed to one ASCII space.
 *
 * NFKC is applied per cluster (a code point plus the combining marks after it) rather than to the
 * whole string, so every output character knows which input characters produced it. Patterns must
 * go through the same function (they do: see `normalizeTerm`), so both sides agree even in the
 * rare cases where per-cluster and whole-string NFKC differ (e.g. half-width kana with a
 * separate voicing mark).
 */

export interface NormalizedText {
  /** The canonical form. */
  readonly text: string;
  /** The original text. */
  readonly original: string;
  /** Maps a span [start, end) of `text` to the span of `original` it came from. */
  toOriginal(start: number, end: number): [number, number];
}

const INVISIBLE = /^\p{Default_Ignorable_Code_Point}$/u;
const MARK = /^\p{M}$/u;
const WHITE = /^\s$/u;
/** The regexes normalisation runs (one character at a time), for the ReDoS proof. */
export const NORMALIZE_REGEXES: readonly RegExp[] = [INVISIBLE, MARK, WHITE];

function isInvisible(cp: number): boolean {
  // Fast path: nothing below U+00AD (the soft hyphen) is default-ignorable.
  return cp >= 0xad && INVISIBLE.test(String.fromCodePoint(cp));
}

function isWhite(cp: number): boolean {
  if (cp < 0x80) return cp === 32 || (cp >= 9 && cp <= 13);
  return WHITE.test(String.fromCodePoint(cp));
}

function isMark(cp: number): boolean {
  return cp >= 0x300 && MARK.test(String.fromCodePoint(cp));
}

export function normalizeForMatching(original: string): NormalizedText {
  const n = original.length;
  // units[k]: output code unit k; starts[k], ends[k]: the original span that produced it. NFKC
  // can expand ("ﬁ" → "fi"), so the buffers grow when needed.
  let cap = n + 16;
  let units = new Uint16Array(cap);
  let starts = new Uint32Array(cap);
  let ends = new Uint32Array(cap);
  let len = 0;
  let lastWasSpace = true; // drops leading white space

  const grow = () => {
    cap *= 2;
    const u2 = new Uint16Array(cap);
    const s2 = new Uint32Array(cap);
    const e2 = new Uint32Array(cap);
    u2.set(units);
    s2.set(starts);
    e2.set(ends);
    units = u2;
    starts = s2;
    ends = e2;
  };
  const pushUnit = (c: number, s: number, e: number) => {
    const space = c < 0x80 ? c === 32 || (c >= 9 && c <= 13) : isWhite(c);
    if (space && lastWasSpace) {
      if (len > 0) ends[len - 1] = e; // the one space kept stands for the whole run
      return;
    }
    if (len >= cap) grow();
    units[len] = space ? 32 : c;
    starts[len] = s;
    ends[len] = e;
    len++;
    lastWasSpace = space;
  };

  let i = 0;
  while (i < n) {
    const c = original.charCodeAt(i);
    if (c < 0x80 && (i + 1 === n || original.charCodeAt(i + 1) < 0xad)) {
      // ASCII not followed by a combining mark: NFKC is the identity, lower-casing is arithmetic.
      // Inlined (this is the hot path for prose).
      const space = c === 32 || (c >= 9 && c <= 13);
      if (space && lastWasSpace) {
        if (len > 0) ends[len - 1] = i + 1;
      } else {
        if (len >= cap) grow();
        units[len] = space ? 32 : c >= 65 && c <= 90 ? c + 32 : c;
        starts[len] = i;
        ends[len] = i + 1;
        len++;
        lastWasSpace = space;
      }
      i++;
      continue;
    }
    const cp = original.codePointAt(i)!;
    const size = cp > 0xffff ? 2 : 1;
    if (isInvisible(cp)) {
      i += size;
      continue;
    }
    // A cluster: this code point and the combining marks (or invisibles) that follow it.
    let j = i + size;
    while (j < n) {
      const next = original.codePointAt(j)!;
      if (!isMark(next) && !isInvisible(next)) break;
      j += next > 0xffff ? 2 : 1;
    }
    let cluster = original.slice(i, j);
    if (j - i > size) cluster = [...cluster].filter((ch) => !isInvisible(ch.codePointAt(0)!)).join('');
    const folded = cluster.normalize('NFKC').toLowerCase();
    for (let k = 0; k < folded.length; k++) pushUnit(folded.charCodeAt(k), i, j);
    i = j;
  }
  // Drop one trailing space so "word " and "word" normalise alike.
  if (len > 0 && units[len - 1] === 32) len--;
  const text = decodeUnits(units, len);
  const fs = starts;
  const fe = ends;
  return {
    text,
    original,
    toOriginal(start, end) {
      if (end <= start) {
        const at = start < len ? fs[start]! : n;
        return [at, at];
      }
      return [fs[start]!, fe[end - 1]!];
    },
  };
}

const UTF16 = new TextDecoder('utf-16le');
/**
 * UTF-16 code units to a string. TextDecoder is an order of magnitude faster than fromCharCode;
 * it turns a lone surrogate into U+FFFD, one unit for one, so offsets are unchanged. (Typed
 * arrays are little-endian on every platform Node supports.)
 */
function decodeUnits(units: Uint16Array, len: number): string {
  return UTF16.decode(units.subarray(0, len));
}

/** The canonical form of a pattern (term, keyword, phrase): the same function as for text. */
export function normalizeTerm(term: string): string {
  return normalizeForMatching(term).text;
}
