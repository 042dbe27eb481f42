/**
 * URL — Presidio's UrlRecognizer: URLs with a scheme (0.6) and bare domains (0.5), the host's TLD
 * validated against the Public Suffix List (tldts) instead of Presidio's fixed TLD list. As in
 * Presidio, a URL wrapped in quotes is reported with its quotes ("Quoted URL" patterns).
 *
 * Two anchored scans, no regex over the whole text: indexOf('://') for scheme URLs, and
 * indexOf('.') for bare domains — a '.' with a letter or digit on both sides, which sentence ends
 * almost never have. Bare names that read like code or file names (`main.py`, `user.name`,
 * `console.log(`, `userName.email`) are kept at 0.2, under the default threshold.
 */
import { isIP } from 'node:net';
import type { Detector, Finding } from '../types.js';
import { isWordChar } from './digit-checks.js';
import { HOST_REGEXES, hostRunEnd, isHostChar, registrableHost } from './domain-names.js';

export const URL_CONTEXT = ['url', 'website', 'link'];

export const SCORE_SCHEME = 0.6;
export const SCORE_BARE = 0.5;
export const SCORE_CODE_LIKE = 0.2;

const SCHEMES = new Set(['http', 'https', 'ftp', 'ftps', 'sftp', 'ws', 'wss']);
/** Public suffixes that are far more often a file extension or a property name than a web site. */
const CODE_LIKE_SUFFIXES = new Set(['md', 'py', 'sh', 'rs', 'pl', 'pm', 'ps', 'so', 'cc', 'zip', 'mov', 'java', 'id', 'name', 'email', 'date', 'run', 'data', 'map']);

const PORT = /:\d{1,5}(?!\d)/y;
/** Path, query and fragment: anything up to whitespace, quotes or angle brackets (as Presidio). */
const REST = /[^\s<>"'`]{1,2048}/y;
const MAX_AUTHORITY = 256;

const isQuote = (c: number) => c === 34 || c === 39;
const isSchemeChar = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/** `end` moved back over trailing sentence punctuation and unbalanced closing brackets. */
export function trimUrlEnd(text: string, start: number, end: number): number {
  for (;;) {
    const c = text[end - 1];
    if (c === '.' || c === ',' || c === ';' || c === ':' || c === '!' || c === '?' || c === '*') end--;
    else if ((c === ')' && unbalanced(text, start, end, '(', ')')) || (c === ']' && unbalanced(text, start, end, '[', ']'))) end--;
    else return end;
  }
}
function unbalanced(text: string, start: number, end: number, open: string, close: string): boolean {
  let depth = 0;
  for (let i = start; i < end; i++) {
    if (text[i] === open) depth++;
    else if (text[i] === close) depth--;
  }
  return depth < 0;
}

/** `end` extended over a port and a path/query/fragment when one follows (`rest`: chars that may start it). */
function extendUrl(text: string, start: number, end: number, rest: string): number {
  PORT.lastIndex = end;
  const port = PORT.exec(text);
  if (port) end += port[0].length;
  if (end < text.length && rest.includes(text[end]!)) {
    REST.lastIndex = end;
    const m = REST.exec(text);
    if (m) end = trimUrlEnd(text, start, end + m[0].length);
  }
  return end;
}

/** A finding spanning [start, end), widened over a quote on each side (Presidio's quoted patterns). */
function finding(text: string, start: number, end: number, score: number): Finding {
  if (start > 0 && isQuote(text.charCodeAt(start - 1)) && isQuote(text.charCodeAt(end))) return { entity: 'URL', start: start - 1, end: end + 1, score, detector: 'url' };
  return { entity: 'URL', start, end, score, detector: 'url' };
}

/** The URL whose '://' is at `sep`, or undefined. */
export function schemeUrl(text: string, sep: number): Finding | undefined {
  let s = sep;
  while (s > 0 && sep - s < 6 && isSchemeChar(text.charCodeAt(s - 1))) s--;
  if (!SCHEMES.has(text.slice(s, sep).toLowerCase())) return undefined;
  // userinfo: the host starts after the last '@' of the authority
  let h = sep + 3;
  for (let i = h; i < text.length && i - h < MAX_AUTHORITY; i++) {
    const c = text[i]!;
    if (c === '/' || c === '?' || c === '#' || c === ' ' || c === '\n' || c === '\t' || c === '"' || c === "'" || c === '<' || c === '>') break;
    if (c === '@') h = i + 1;
  }
  let end: number;
  if (text[h] === '[') {
    const close = text.indexOf(']', h);
    if (close === -1 || close - h > 48 || isIP(text.slice(h + 1, close)) !== 6) return undefined;
    end = close + 1;
  } else {
    end = hostRunEnd(text, h);
    const host = text.slice(h, end).toLowerCase();
    if (end === h || (isIP(host) !== 4 && !registrableHost(host))) return undefined;
  }
  return finding(text, s, extendUrl(text, s, end, '/?#'), SCORE_SCHEME);
}

/** Whether a bare host name reads like code or a file name rather than a site. */
export function codeLike(text: string, start: number, end: number, suffix: string): boolean {
  if (CODE_LIKE_SUFFIXES.has(suffix)) return true;
  if (text[end] === '(') return true; // `console.log(`
  for (let i = start + 1; i < end; i++) {
    const c = text.charCodeAt(i);
    const p = text.charCodeAt(i - 1);
    if (c >= 65 && c <= 90 && p >= 97 && p <= 122) return true; // camelCase
  }
  return false;
}

/** The bare domain around the '.' at `dot`, or undefined; `next` gets where to look for the next dot. */
export function bareDomain(text: string, dot: number, next: { from: number }): Finding | undefined {
  let s = dot;
  while (s > 0 && dot - s <= 253 && (isHostChar(text.charCodeAt(s - 1)) || text.charCodeAt(s - 1) === 46)) s--;
  // Scan to the end of the whole run of host characters and dots, and continue after it: each run
  // is examined once, so a long run such as "a.a.a.…" stays linear (it is too long to be a domain).
  let e = dot + 1;
  while (e < text.length && (isHostChar(text.charCodeAt(e)) || text.charCodeAt(e) === 46)) e++;
  next.from = e;
  while (s < e && (text.charCodeAt(s) === 46 || text.charCodeAt(s) === 45)) s++;
  while (e > s && (text.charCodeAt(e - 1) === 46 || text.charCodeAt(e - 1) === 45)) e--;
  if (e - s > 253) return undefined;
  // '@' → an e-mail domain; '/' or ':' → inside a path or a scheme URL; a word character → code (`my_var.name`)
  const before = s > 0 ? text.charCodeAt(s - 1) : 32;
  if (before === 64 || before === 47 || before === 58 || before === 36 || isWordChar(before)) return undefined;
  if (localPartOfEmail(text, e)) return undefined; // `rosa.schmidt+billing@…`: `.schmidt` is a TLD too
  const verdict = registrableHost(text.slice(s, e).toLowerCase());
  if (!verdict) return undefined;
  const score = codeLike(text, s, e, verdict.suffix) ? SCORE_CODE_LIKE : SCORE_BARE;
  return finding(text, s, extendUrl(text, s, e, '/'), score);
}

/** Whether the text from `at` continues an e-mail local part up to an '@'. */
function localPartOfEmail(text: string, at: number): boolean {
  for (let i = at; i < text.length && i - at <= 64; i++) {
    const c = text.charCodeAt(i);
    if (c === 64) return true;
    if (!(isWordChar(c) || c === 43 || c === 45 || c === 46 || c === 37)) return false;
  }
  return false;
}

const isAlnumAt = (text: string, i: number) => i >= 0 && i < text.length && isHostChar(text.charCodeAt(i)) && text.charCodeAt(i) !== 45;

export const url: Detector = {
  id: 'url',
  entities: ['URL'],
  context: URL_CONTEXT,
  regexes: [PORT, REST, ...HOST_REGEXES],
  detect(input) {
    const text = input.text;
    const out: Finding[] = [];
    // Scheme URLs first; the bare-domain scan skips what they cover.
    for (let sep = text.indexOf('://'); sep !== -1; ) {
      const f = schemeUrl(text, sep);
      if (f) out.push(f);
      sep = text.indexOf('://', f ? f.end : sep + 3);
    }
    const covered = out.slice();
    let k = 0;
    const next = { from: 0 };
    for (let dot = text.indexOf('.'); dot !== -1; dot = text.indexOf('.', next.from)) {
      next.from = dot + 1;
      while (k < covered.length && covered[k]!.end <= dot) k++;
      if (k < covered.length && covered[k]!.start <= dot) {
        next.from = covered[k]!.end;
        continue;
      }
      if (!isAlnumAt(text, dot - 1) || !isAlnumAt(text, dot + 1)) continue;
      const f = bareDomain(text, dot, next);
      if (f) {
        out.push(f);
        next.from = Math.max(next.from, f.end);
      }
    }
    return out;
  },
};
