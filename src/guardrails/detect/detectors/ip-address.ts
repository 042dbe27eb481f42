/**
 * IP_ADDRESS — Presidio's IpRecognizer: IPv4, IPv6 (full, compressed, IPv4-mapped and -embedded,
 * with a zone id), an optional CIDR prefix length, score 0.6; the bare unspecified address `::`
 * at 0.1, and so an IPv4 right after "version", "build", "firmware"… or a '/' (a version number). Every candidate is validated with `node:net` isIP (Presidio: `ipaddress.ip_address`).
 *
 * IPv4 is one regex over the digit windows. IPv6 cannot be one provably linear regex, and need not
 * contain a digit (`::`, `fe80::abcd`), so the scan jumps between ':' characters with indexOf and
 * takes the run of hex digits, ':' and '.' around each one as the candidate — each character is
 * looked at a bounded number of times.
 */
import { isIP } from 'node:net';
import { forEachLeadMatch } from '../digit-runs.js';
import type { DigitLead, Detector, Finding } from '../types.js';
import { isWordChar } from './digit-checks.js';
import { followsVersionWord } from './version-context.js';

export const IP_CONTEXT = ['ip', 'ipv4', 'ipv6'];
/** An IPv4-shaped version number (`firmware 3.8.9.221`, `Chrome/1.2.3.4`). */
export const SCORE_VERSION_LIKE = 0.1;

const IPV4 = /\b\d{1,3}(?:\.\d{1,3}){3}\b/g;
const IPV4_LEAD: DigitLead = { runs: [1, 2, 3], next: '.' };
const PREFIX_LENGTH = /\/(\d{1,3})(?!\d)/y;
const ZONE_ID = /%[A-Za-z0-9_.-]{1,32}/y;
/** Longest IPv6 text with an embedded IPv4 is 45 characters; longer runs are something else. */
const MAX_RUN = 64;

const isHex = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
const isRunChar = (c: number) => isHex(c) || c === 58 || c === 46; // hex, ':' or '.'

/** `end`, extended over a valid CIDR prefix length (`/24`, at most `max`) when one follows. */
export function withPrefixLength(text: string, end: number, max: number): number {
  if (text.charCodeAt(end) !== 47) return end;
  PREFIX_LENGTH.lastIndex = end;
  const m = PREFIX_LENGTH.exec(text);
  return m && Number(m[1]) <= max ? end + m[0].length : end;
}

/** IPv6 findings: each run of hex digits, ':' and '.' holding at least two colons, validated. */
export function findIpv6(text: string, out: Finding[]): void {
  let from = 0;
  for (;;) {
    const colon = text.indexOf(':', from);
    if (colon === -1) return;
    let s = colon;
    while (s > 0 && isRunChar(text.charCodeAt(s - 1))) s--;
    let e = colon + 1;
    while (e < text.length && isRunChar(text.charCodeAt(e))) e++;
    from = e;
    if (e - s > MAX_RUN) continue;
    while (s < e && text.charCodeAt(s) === 46) s++; // dots around the run are sentence punctuation
    while (e > s && text.charCodeAt(e - 1) === 46) e--;
    if (s > 0 && isWordChar(text.charCodeAt(s - 1))) continue; // glued to a word: `std::`, `foo2001:db8::`
    let end = e;
    if (text.charCodeAt(end) === 37) {
      ZONE_ID.lastIndex = end;
      const z = ZONE_ID.exec(text);
      if (z) end += z[0].length;
    }
    if (end < text.length && isWordChar(text.charCodeAt(end))) continue; // `fe80::1text`, `abc:def:ghi`
    const addr = text.slice(s, end);
    if (!addr.includes(':', addr.indexOf(':') + 1) || isIP(addr) !== 6) continue;
    // Presidio scores the lone unspecified address low: `::` is also C++ scope, Ruby constants…
    const score = addr === '::' ? 0.1 : 0.6;
    out.push({ entity: 'IP_ADDRESS', start: s, end: withPrefixLength(text, end, 128), score, detector: 'ip-address' });
  }
}

export const ipAddress: Detector = {
  id: 'ip-address',
  entities: ['IP_ADDRESS'],
  context: IP_CONTEXT,
  regexes: [IPV4, PREFIX_LENGTH, ZONE_ID],
  leads: [{ regex: IPV4, lead: IPV4_LEAD }],
  detect(input) {
    const text = input.text;
    const out: Finding[] = [];
    forEachLeadMatch(input, IPV4, IPV4_LEAD, (m, start) => {
      if (isIP(m[0]) !== 4) return undefined;
      const score = followsVersionWord(text, start) ? SCORE_VERSION_LIKE : 0.6;
      out.push({ entity: 'IP_ADDRESS', start, end: withPrefixLength(text, start + m[0].length, 32), score, detector: 'ip-address' });
      return undefined;
    });
    if (text.includes(':')) findIpv6(text, out);
    return out;
  },
};
