/**
 * How random a candidate secret looks. Real keys are drawn uniformly from their alphabet;
 * placeholders (`xxxxxxxx`, `changeme`, `your_api_key_here`) are repetitive or made of words.
 */

const counts = new Uint32Array(65536);

/** Shannon entropy in bits per character. */
export function shannonEntropy(s: string): number {
  if (s.length === 0) return 0;
  // One shared table: count, sum over the distinct characters, then reset only those.
  const distinct: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (counts[c] === 0) distinct.push(c);
    counts[c]!++;
  }
  let h = 0;
  for (const c of distinct) {
    const p = counts[c]! / s.length;
    h -= p * Math.log2(p);
    counts[c] = 0;
  }
  return h;
}

export interface CharClasses {
  lower: boolean;
  upper: boolean;
  digit: boolean;
  other: boolean;
  /** How many of lower, upper, digit, other are present. */
  count: number;
}

export function charClasses(s: string): CharClasses {
  let lower = false;
  let upper = false;
  let digit = false;
  let other = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 97 && c <= 122) lower = true;
    else if (c >= 65 && c <= 90) upper = true;
    else if (c >= 48 && c <= 57) digit = true;
    else other = true;
  }
  return { lower, upper, digit, other, count: +lower + +upper + +digit + +other };
}

/** Hex digits of one case only (a digest or hex key), e.g. `9f86d081…`. */
export function isHex(s: string): boolean {
  let lower = false;
  let upper = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 97 && c <= 102) lower = true;
    else if (c >= 65 && c <= 70) upper = true;
    else if (c < 48 || c > 57) return false;
  }
  return s.length > 0 && !(lower && upper);
}

/**
 * Entropy relative to the most a string of this length over this alphabet can have, 0..1.
 * A hex digest scores like a base64 key even though its raw entropy is lower: the ceiling is
 * log2 of the alphabet (hex 16, else the classes present) or of the length, whichever is lower.
 */
export function randomness(s: string): number {
  if (s.length < 2) return 0;
  let alphabet: number;
  if (isHex(s)) alphabet = 16;
  else {
    const k = charClasses(s);
    alphabet = (k.lower ? 26 : 0) + (k.upper ? 26 : 0) + (k.digit ? 10 : 0) + (k.other ? 16 : 0);
  }
  const ceiling = Math.log2(Math.min(alphabet, s.length));
  return ceiling > 0 ? Math.min(1, shannonEntropy(s) / ceiling) : 0;
}

/** Runs of one character or of consecutive characters (`aaaaaa`, `123456`, `abcdef`). */
export function hasRun(s: string, len = 6): boolean {
  let same = 1;
  let up = 1;
  for (let i = 1; i < s.length; i++) {
    const d = s.charCodeAt(i) - s.charCodeAt(i - 1);
    same = d === 0 ? same + 1 : 1;
    up = d === 1 ? up + 1 : 1;
    if (same >= len || up >= len) return true;
  }
  return false;
}

const PLACEHOLDER_WORDS = ['example', 'sample', 'dummy', 'placeholder', 'redacted', 'changeme', 'your', 'fake', 'xxxx', '***', '...'];

/** Contains a word that marks documentation or a template, not a real secret. */
export function hasPlaceholderWord(s: string): boolean {
  const lower = s.toLowerCase();
  return PLACEHOLDER_WORDS.some((w) => lower.includes(w));
}

/**
 * A token body that is obviously not a real secret: low entropy, long runs, or a placeholder
 * word (`ghp_XXXXXXXX…`, `sk_test_your_key_here`, AWS's documented `…EXAMPLE` keys).
 */
export function isPlaceholderToken(body: string, minEntropy = 3): boolean {
  return shannonEntropy(body) < minEntropy || hasRun(body) || hasPlaceholderWord(body);
}
