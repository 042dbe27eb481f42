/**
 * Finds `key = value` style assignments whose key hints at a secret, in the forms secrets are
 * pasted in: `key=value` (env files, query strings), `key: value` (YAML, HTTP headers),
 * `"key": "value"` (JSON, also backslash-escaped inside another string), `key := value`,
 * `'key' => 'value'`, `--key=value`. Anchored on the `=` and `:` characters, found with
 * `indexOf`; the key is read backwards and the value forwards by bounded loops, so the scan is
 * linear and costs nothing on prose without separators. Computed once per scan and shared by
 * the detectors that need it (generic secrets, AWS secret keys).
 */
import type { ScanInput } from '../../types.js';

export interface Assignment {
  /** The key as written, without quotes. */
  key: string;
  /** The value without quotes or an auth scheme (`Bearer …`). */
  value: string;
  /** Span of `value` in the text. */
  start: number;
  end: number;
  quoted: boolean;
}

const MAX_KEY = 64;
const MAX_VALUE = 1024;
/** Shorter values are not kept: too little to tell a secret from a word. */
export const MIN_VALUE = 6;
/** Lower-case fragments of key names worth a closer look; everything else is skipped at once. */
export const HINTS = ['pass', 'pwd', 'secret', 'token', 'auth', 'cred', 'key', 'bearer'];
/** HINTS by their first letter's code: one table lookup per character of a key. */
const HINTS_BY_FIRST: Array<string[] | undefined> = [];
for (const h of HINTS) (HINTS_BY_FIRST[h.charCodeAt(0)] ??= []).push(h);
const AUTH_SCHEMES = new Set(['bearer', 'basic', 'token', 'bot', 'apikey']);

const isKeyCode = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45 || c === 46;
const isBlank = (c: number) => c === 32 || c === 9;
const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;
/** Characters that end an unquoted value: whitespace, quotes, the punctuation around values in code, `&` of query strings. */
const isValueStop = (c: number) =>
  isSpace(c) || c === 34 || c === 39 || c === 96 || c === 44 || c === 59 || c === 60 || c === 62 || c === 40 || c === 41 || c === 91 || c === 93 || c === 123 || c === 125 || c === 124 || c === 38;
/** Characters before `=` that make it an operator other than assignment (`==`, `!=`, `<=`, `+=`…). */
const isOperatorCode = (c: number) => c === 61 || c === 33 || c === 60 || c === 62 || c === 58 || c === 43 || c === 45 || c === 42 || c === 47 || c === 37 || c === 38 || c === 124 || c === 94 || c === 126;

const cache = new WeakMap<ScanInput, readonly Assignment[]>();

export function secretAssignments(input: ScanInput): readonly Assignment[] {
  let found = cache.get(input);
  if (!found) {
    found = findAssignments(input.text);
    cache.set(input, found);
  }
  return found;
}

export function findAssignments(text: string): Assignment[] {
  const out: Assignment[] = [];
  let eq = text.indexOf('=');
  let colon = text.indexOf(':');
  let resume = 0;
  while (eq !== -1 || colon !== -1) {
    const p = eq === -1 ? colon : colon === -1 ? eq : Math.min(eq, colon);
    if (p >= resume) resume = assignmentAt(text, p, out);
    const from = Math.max(p + 1, resume);
    if (eq !== -1 && eq < from) eq = text.indexOf('=', from);
    if (colon !== -1 && colon < from) colon = text.indexOf(':', from);
  }
  return out;
}

/**
 * Reads the assignment whose separator is at `p` into `out` (if it is one worth keeping) and
 * returns where the next separator may start: past any value read, so text is read once even
 * when values are rejected (`password=password=…` does not re-read its tail per `=`).
 */
function assignmentAt(text: string, p: number, out: Assignment[]): number {
  const sep = text.charCodeAt(p);
  let k = p + 1; // first character after the separator
  if (sep === 61 /* = */) {
    if (p > 0 && isOperatorCode(text.charCodeAt(p - 1))) return k;
    while (text.charCodeAt(k) === 61) k++; // `==`, `===`: a secret compared with a literal is still a secret
    if (text.charCodeAt(k) === 62 /* > */) k++; // `=>`
  } else {
    const next = text.charCodeAt(k);
    if (next === 47 /* :// */ || next === 58 /* :: */) return k;
    if (next === 61) k++; // `:=`
  }

  const keyStart = hintedKeyStart(text, p);
  if (keyStart === -1) return k;

  let v = k;
  while (v < text.length && v - k < 16 && isBlank(text.charCodeAt(v))) v++;
  v = skipAuthScheme(text, v);
  let q = text.charCodeAt(v);
  let escaped = false;
  if (q === 92 /* \ */ && text.charCodeAt(v + 1) === 34) {
    escaped = true;
    v++;
    q = 34;
  }
  let start: number;
  let end: number;
  let resume: number;
  const quoted = q === 34 || q === 39 || q === 96;
  if (quoted) {
    start = skipAuthScheme(text, v + 1);
    end = closingQuote(text, start, q, escaped);
    if (end < 0) return -end; // unterminated: skip what was read
    resume = end + 1;
  } else {
    start = v;
    end = v;
    while (end < text.length && end - v <= MAX_VALUE && !isValueStop(text.charCodeAt(end))) end++;
    resume = end;
    if (end - v > MAX_VALUE) return resume; // a run, not a value
    while (end > v && (text.charCodeAt(end - 1) === 46 || text.charCodeAt(end - 1) === 58)) end--; // sentence punctuation
  }
  if (end - start >= MIN_VALUE) out.push({ key: text.slice(keyStart, keyEnd(text, p)), value: text.slice(start, end), start, end, quoted });
  return resume;
}

/** End of the key before the separator at `p` (after blanks and a closing quote are skipped). */
function keyEnd(text: string, p: number): number {
  let j = p - 1;
  while (j >= 0 && p - j <= 4 && isBlank(text.charCodeAt(j))) j--;
  const c = text.charCodeAt(j);
  if (c === 34 || c === 39) {
    j--;
    if (text.charCodeAt(j) === 92) j--;
  }
  return j + 1;
}

/**
 * Start of the identifier before the separator at `p` if it contains a hint, else -1. Decided
 * without cutting a string: most separators in prose (`Note:`, `3:30`, `x = 2`) cost a few reads.
 */
function hintedKeyStart(text: string, p: number): number {
  const end = keyEnd(text, p);
  let j = end - 1;
  while (j >= 0 && end - j <= MAX_KEY && isKeyCode(text.charCodeAt(j))) j--;
  if (j >= 0 && isKeyCode(text.charCodeAt(j))) return -1; // longer than any key name
  const start = j + 1;
  if (end - start < 3) return -1; // every hint has at least 3 letters
  for (let i = start; i <= end - 3; i++) if (hintAt(text, i, end)) return start;
  return -1;
}

/** Whether one of HINTS starts at `i` (ASCII case-insensitive), ending by `end`. */
function hintAt(text: string, i: number, end: number): boolean {
  const hints = HINTS_BY_FIRST[text.charCodeAt(i) | 32];
  if (hints === undefined) return false;
  for (const h of hints) {
    if (i + h.length > end) continue;
    let k = 1;
    while (k < h.length && (text.charCodeAt(i + k) | 32) === h.charCodeAt(k)) k++;
    if (k === h.length) return true;
  }
  return false;
}

/** After `Bearer `, `Basic `, `token `…: the credential starts after the scheme word. */
function skipAuthScheme(text: string, v: number): number {
  let w = v;
  while (w - v < 7 && ((text.charCodeAt(w) | 32) >= 97 && (text.charCodeAt(w) | 32) <= 122)) w++;
  if (w === v || !isBlank(text.charCodeAt(w)) || !AUTH_SCHEMES.has(text.slice(v, w).toLowerCase())) return v;
  while (w - v < 12 && isBlank(text.charCodeAt(w))) w++;
  return w;
}

/**
 * Index of the quote closing a value that starts at `start`; when there is none on the same line
 * within MAX_VALUE, minus the index where the search stopped.
 */
function closingQuote(text: string, start: number, q: number, escaped: boolean): number {
  let i = start;
  for (; i < text.length && i - start <= MAX_VALUE; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return -i;
    if (c === 92 /* \ */) {
      if (escaped && text.charCodeAt(i + 1) === q) return i;
      i++; // an escaped character inside the value
      continue;
    }
    if (c === q) return i;
  }
  return -i;
}
