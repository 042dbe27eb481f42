/**
 * EMAIL_ADDRESS — Presidio's EmailRecognizer: `local@domain` whose domain ends in a real public
 * suffix (validated → 1.0; Presidio validates with tldextract, here with tldts).
 *
 * Every address has an '@', so the scan jumps from one '@' to the next with indexOf and reads the
 * local part leftwards in code and the domain rightwards with one bounded sticky regex: the cost is
 * proportional to the number of '@' signs, not to the text.
 */
import type { Detector, Finding } from '../types.js';
import { HOST_REGEXES, hostRunEnd, isHostChar, registrableHost } from './domain-names.js';

export const EMAIL_CONTEXT = ['email', 'e-mail', 'mail'];

const MAX_LOCAL = 64;

/**
 * RFC 5322 atext plus '.', as Presidio's pattern allows in the local part — less '/', '=', '?' and
 * '&': they almost never occur in real addresses but delimit an address inside a URL's query
 * (`?user=jane@example.com`), which should not swallow the URL.
 */
function isLocalChar(c: number): boolean {
  if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)) return true;
  if (c > 127) return isHostChar(c);
  return "!#$%'*+-^_`{|}~.".includes(String.fromCharCode(c));
}
const isAlnum = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c > 127 && isHostChar(c));

/**
 * The start of the local part ending just before `at`, or -1 when there is none. It runs left over
 * local-part characters, then drops leading punctuation (quotes, dots) so the address starts at a
 * letter or digit, as Presidio's `\b` does.
 */
export function localStart(text: string, at: number): number {
  let s = at;
  while (s > 0 && at - s < MAX_LOCAL + 1 && isLocalChar(text.charCodeAt(s - 1))) s--;
  if (at - s > MAX_LOCAL) return -1; // longer than any real local part: not an address
  while (s < at && !isAlnum(text.charCodeAt(s))) s++;
  if (s === at || text.charCodeAt(at - 1) === 46 || text.slice(s, at).includes('..')) return -1;
  return s;
}

/** The end of a valid domain starting at `from`, or -1. Trailing dots and hyphens are punctuation. */
export function domainEnd(text: string, from: number): number {
  const e = hostRunEnd(text, from);
  if (e === from || !registrableHost(text.slice(from, e).toLowerCase())) return -1;
  return e;
}

export const email: Detector = {
  id: 'email',
  entities: ['EMAIL_ADDRESS'],
  context: EMAIL_CONTEXT,
  regexes: [...HOST_REGEXES],
  detect(input) {
    const text = input.text;
    const out: Finding[] = [];
    let at = text.indexOf('@');
    while (at !== -1) {
      const s = localStart(text, at);
      const e = s === -1 ? -1 : domainEnd(text, at + 1);
      if (e !== -1) out.push({ entity: 'EMAIL_ADDRESS', start: s, end: e, score: 1, detector: 'email' });
      at = text.indexOf('@', Math.max(at + 1, e));
    }
    return out;
  },
};
