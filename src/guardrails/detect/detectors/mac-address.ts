/**
 * MAC_ADDRESS — Presidio's MacAddressRecognizer: six hex pairs joined by ':' or by '-' (one
 * separator throughout) or Cisco's three dot-joined quads, score 0.6; the all-zero and broadcast
 * addresses are dropped (placeholders, not a device).
 *
 * `AA:BB:CC:DD:EE:FF` has no digit, so the digit windows do not apply; instead the scan jumps
 * between separators with indexOf and tries the pattern only where a separator repeats at the
 * right distance (`x:` … `x:` three characters on), which prose almost never has.
 */
import type { Detector, Finding } from '../types.js';
import { isWordChar } from './digit-checks.js';

export const MAC_CONTEXT = ['mac', 'mac address', 'hardware address', 'physical address', 'ethernet'];

export const SCORE = 0.6;

const HEX2 = '[0-9A-Fa-f]{2}';
const COLON_MAC = new RegExp(`${HEX2}(?::${HEX2}){5}`, 'y');
const DASH_MAC = new RegExp(`${HEX2}(?:-${HEX2}){5}`, 'y');
const CISCO_MAC = /[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}/y;

/** True for the placeholder addresses 00:00:00:00:00:00 and FF:FF:FF:FF:FF:FF. */
export function isPlaceholderMac(value: string): boolean {
  let zeros = 0;
  let fs = 0;
  for (const ch of value) {
    if (ch === '0') zeros++;
    else if (ch === 'f' || ch === 'F') fs++;
  }
  return zeros === 12 || fs === 12;
}

const isHex = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);

/**
 * Matches `re` at `start` when a word boundary lies on both sides (Presidio's `\b…\b`) and the
 * run does not go on with the same separator and more hex (`…:5E:6F` is not a MAC address).
 */
function macAt(text: string, re: RegExp, start: number, sep: string, out: Finding[]): number {
  if (start < 0 || (start > 0 && isWordChar(text.charCodeAt(start - 1)))) return -1;
  if (text[start - 1] === sep && isHex(text.charCodeAt(start - 2))) return -1;
  re.lastIndex = start;
  const m = re.exec(text);
  if (!m) return -1;
  const end = start + m[0].length;
  if (end < text.length && isWordChar(text.charCodeAt(end))) return -1;
  if (text[end] === sep && isHex(text.charCodeAt(end + 1))) return end;
  if (!isPlaceholderMac(m[0])) out.push({ entity: 'MAC_ADDRESS', start, end, score: SCORE, detector: 'mac-address' });
  return end;
}

/** Each `sep` that repeats `gap` characters later is a candidate `offset` characters into an address. */
function scanSeparator(text: string, sep: string, gap: number, offset: number, re: RegExp, out: Finding[]): void {
  for (let p = text.indexOf(sep); p !== -1; p = text.indexOf(sep, p + 1)) {
    if (text[p + gap] !== sep) continue;
    const end = macAt(text, re, p - offset, sep, out);
    if (end !== -1) p = end;
  }
}

export const macAddress: Detector = {
  id: 'mac-address',
  entities: ['MAC_ADDRESS'],
  context: MAC_CONTEXT,
  regexes: [COLON_MAC, DASH_MAC, CISCO_MAC],
  detect(input) {
    const text = input.text;
    const out: Finding[] = [];
    scanSeparator(text, ':', 3, 2, COLON_MAC, out);
    scanSeparator(text, '-', 3, 2, DASH_MAC, out);
    scanSeparator(text, '.', 5, 4, CISCO_MAC, out);
    return out;
  },
};
