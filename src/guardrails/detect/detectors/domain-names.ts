/**
 * Host-name checks shared by the e-mail and URL detectors: well-formed labels and a real ICANN
 * public suffix (the Public Suffix List via tldts — Presidio's recognizers use tldextract and a
 * fixed TLD list for the same purpose).
 */
import { parse } from 'tldts';

/** ASCII letters, digits and '-' — the characters of a host label (plus any non-ASCII letter). */
export function isHostChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || (c > 127 && isNonAsciiLetter(c));
}

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
function isNonAsciiLetter(c: number): boolean {
  // Surrogate halves are treated as letters: an astral-plane character is part of a word.
  return (c >= 0xd800 && c <= 0xdfff) || LETTER_OR_DIGIT.test(String.fromCharCode(c));
}

/** Each dot-separated label is 1–63 characters and neither starts nor ends with '-'. */
export function validLabels(host: string): boolean {
  if (host.length === 0 || host.length > 253) return false;
  let start = 0;
  for (let i = 0; i <= host.length; i++) {
    if (i < host.length && host.charCodeAt(i) !== 46) continue;
    const len = i - start;
    if (len < 1 || len > 63) return false;
    if (host.charCodeAt(start) === 45 || host.charCodeAt(i - 1) === 45) return false;
    start = i + 1;
  }
  return true;
}

/** A run of host-name characters (any script), for a sticky match right after '@' or '://'. */
export const HOST_RUN = /[\p{L}\p{N}.-]{1,253}/uy;

/** The end of the host-name run starting at `from` (trailing dots and hyphens are punctuation), or `from`. */
export function hostRunEnd(text: string, from: number): number {
  HOST_RUN.lastIndex = from;
  const m = HOST_RUN.exec(text);
  if (!m) return from;
  let e = from + m[0].length;
  while (e > from && (text.charCodeAt(e - 1) === 46 || text.charCodeAt(e - 1) === 45)) e--;
  return e;
}

/** The regular expressions these checks run on candidate text, for the detectors' ReDoS proof. */
export const HOST_REGEXES: readonly RegExp[] = [HOST_RUN, LETTER_OR_DIGIT];

/**
 * A TLD is letters (ASCII or not) or punycode (`xn--…`); a numeric last label means an IP address
 * or a number. `label` is lower-case.
 */
export function tldShaped(label: string): boolean {
  if (label.length < 2) return false;
  if (label.startsWith('xn--')) return label.length > 4;
  for (let i = 0; i < label.length; i++) {
    const c = label.charCodeAt(i);
    if (!((c >= 97 && c <= 122) || c > 127)) return false;
  }
  return true;
}

/** `www`, `www2`, … — a web-server prefix, not a name. */
function isWwwLabel(label: string): boolean {
  if (!label.startsWith('www') || label.length > 6) return false;
  for (let i = 3; i < label.length; i++) if (label.charCodeAt(i) < 48 || label.charCodeAt(i) > 57) return false;
  return true;
}

export interface HostVerdict {
  /** The registrable name in front of the suffix, e.g. `microsoft` for `www.microsoft.com`. */
  readonly name: string;
  /** The public suffix, e.g. `co.il`. */
  readonly suffix: string;
}

/**
 * The registrable part of a host name ending in an ICANN public suffix, or undefined. A host that is
 * only a suffix (`microsoft`) or whose only name is `www` (`www.microsoft`: a brand TLD behind a
 * web prefix, not a site) has none. Remembered per host (a small memo): text names the same few
 * hosts again and again, and the Public Suffix List lookup costs more than the rest of the scan
 * around it.
 */
export function registrableHost(host: string): HostVerdict | undefined {
  let v = hostMemo.get(host);
  if (v === undefined) {
    if (hostMemo.size >= HOST_MEMO_MAX) hostMemo.clear();
    v = lookUpHost(host) ?? null;
    hostMemo.set(host, v);
  }
  return v ?? undefined;
}

const HOST_MEMO_MAX = 1024;
const hostMemo = new Map<string, HostVerdict | null>();

function lookUpHost(host: string): HostVerdict | undefined {
  if (!validLabels(host)) return undefined;
  const last = host.slice(host.lastIndexOf('.') + 1);
  if (!tldShaped(last)) return undefined;
  const p = parse(host);
  if (!p.isIcann || !p.domain || !p.publicSuffix || !p.domainWithoutSuffix) return undefined;
  if (isWwwLabel(p.domainWithoutSuffix)) return undefined;
  return Object.freeze({ name: p.domainWithoutSuffix, suffix: p.publicSuffix });
}
