/**
 * CRYPTO — Presidio's CryptoRecognizer: Bitcoin addresses (legacy P2PKH/P2SH in Base58Check,
 * SegWit/Taproot in Bech32/Bech32m) and EIP-55 checksummed Ethereum addresses. Only addresses
 * whose checksum holds are reported (1.0); the rest are dropped.
 *
 * Presidio's Bitcoin pattern `(bc1|[13])[a-zA-HJ-NP-Z0-9]{25,59}` runs case-insensitively with no
 * word boundaries, so a match is the leftmost `1`, `3` or `bc1` in a run of ASCII letters and
 * digits followed by at least 25 more of them, taking up to 59; `bitcoinMatches` reproduces that
 * inside each such run (the regex itself is not provably linear). Deviations: upper-case Bech32
 * (`BC1Q…`, valid per BIP-173 and common in QR codes) is accepted, which Presidio drops, and a
 * legacy address must decode to the 25 bytes every P2PKH/P2SH address has.
 */
import { createHash } from 'node:crypto';
import { stickyCopy } from '../digit-runs.js';
import type { Detector, Finding } from '../types.js';
import { forEachDigitToken, scanAnchors } from './anchored-scan.js';
import { keccak256 } from './keccak.js';

/**
 * Every Bitcoin match starts with `1`, `3` or `bc1` and runs on for 25 more letters or digits, so
 * it lies in a run of 26 or more letters and digits holding a digit: only such runs are read.
 */
const BTC_ANCHOR = /[13][a-z0-9]{25}/gi;
const ETH = /0x[a-f0-9]{40}/gi;
/** ETH at a `0x`: the `0` ends a digit run. */
const ETH_AT = stickyCopy(ETH);

export const CRYPTO_CONTEXT = ['wallet', 'btc', 'bitcoin', 'crypto', 'eth', 'ethereum'];

const isAlnum = (c: number) => (c >= 48 && c <= 57) || ((c | 0x20) >= 97 && (c | 0x20) <= 122);

/** Presidio's Bitcoin matches inside one run of ASCII letters and digits: [start, end) pairs. */
export function bitcoinMatches(run: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let p = 0;
  while (run.length - p >= 26) {
    const c = run.charCodeAt(p);
    const bc1 = (c | 0x20) === 98 && (run.charCodeAt(p + 1) | 0x20) === 99 && run.charCodeAt(p + 2) === 49;
    const prefix = bc1 && run.length - p - 3 >= 25 ? 3 : c === 49 || c === 51 ? 1 : 0;
    if (prefix === 0) {
      p++;
      continue;
    }
    const end = Math.min(run.length, p + prefix + 59);
    out.push([p, end]);
    p = end;
  }
  return out;
}

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest();

/**
 * Base58Check for legacy addresses: 25 bytes (version, 20-byte hash, 4-byte checksum) whose last
 * four are the double SHA-256 of the rest. (Presidio accepts any length; a P2PKH or P2SH address
 * is always 25 bytes, 26–35 characters.)
 */
export function base58CheckValid(address: string): boolean {
  if (address.length < 26 || address.length > 35) return false;
  // Base58 to bytes, big-endian; each leading '1' is a leading zero byte.
  const bytes: number[] = [];
  let zeros = 0;
  while (zeros < address.length && address[zeros] === '1') zeros++;
  for (const ch of address) {
    let carry = BASE58.indexOf(ch);
    if (carry < 0) return false;
    for (let j = bytes.length - 1; j >= 0; j--) {
      carry += bytes[j]! * 58;
      bytes[j] = carry & 0xff;
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.unshift(carry & 0xff);
      carry >>= 8;
    }
  }
  const all = Buffer.concat([Buffer.alloc(zeros), Buffer.from(bytes)]);
  if (all.length !== 25) return false;
  return sha256(sha256(all.subarray(0, -4))).subarray(0, 4).equals(all.subarray(-4));
}

const BECH32_CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const GEN = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

function polymod(values: number[]): number {
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = (((chk & 0x1ffffff) << 5) ^ v) >>> 0;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk = (chk ^ GEN[i]!) >>> 0;
  }
  return chk;
}

/** Bech32 (BIP-173) or Bech32m (BIP-350) checksum over the whole string, as Presidio decodes it. */
export function bech32Valid(address: string): boolean {
  if (address.length > 90) return false;
  for (let i = 0; i < address.length; i++) {
    const c = address.charCodeAt(i);
    if (c < 33 || c > 126) return false;
  }
  const lower = address.toLowerCase();
  if (address !== lower && address !== address.toUpperCase()) return false; // mixed case
  const pos = lower.lastIndexOf('1');
  if (pos < 1 || pos + 7 > lower.length) return false;
  const hrp = lower.slice(0, pos);
  const data: number[] = [];
  for (const ch of lower.slice(pos + 1)) {
    const v = BECH32_CHARSET.indexOf(ch);
    if (v < 0) return false;
    data.push(v);
  }
  const expanded = [...hrp].map((ch) => ch.charCodeAt(0) >> 5);
  expanded.push(0);
  for (const ch of hrp) expanded.push(ch.charCodeAt(0) & 31);
  const k = polymod([...expanded, ...data]);
  return k === 1 || k === 0x2bc830a3;
}

/** A Bitcoin match as Presidio validates it: Base58Check for 1…/3…, Bech32(m) for bc1…. */
export function bitcoinAddressValid(value: string): boolean {
  if (value.startsWith('1') || value.startsWith('3')) return base58CheckValid(value);
  if (value.toLowerCase().startsWith('bc1')) return bech32Valid(value);
  return false;
}

/**
 * EIP-55: a hex letter is upper-case exactly when the matching nibble of keccak256(lower-case hex
 * address) is 8 or more. As in Presidio, an address without the checksum (all one case) fails.
 */
export function ethereumAddressValid(value: string): boolean {
  if (!value.startsWith('0x') || value.length !== 42) return false;
  const hex = value.slice(2).toLowerCase();
  const hash = keccak256(Buffer.from(hex, 'ascii'));
  let expected = '0x';
  for (let i = 0; i < hex.length; i++) {
    const ch = hex[i]!;
    const nibble = (hash[i >> 1]! >> (i % 2 === 0 ? 4 : 0)) & 0xf;
    expected += ch >= 'a' && ch <= 'f' && nibble > 7 ? ch.toUpperCase() : ch;
  }
  return expected === value;
}

/** A run that is not glued to letters or digits lies in a token of its own length: too short unless 26 long. */
const fitsBitcoin = (text: string, start: number, end: number) => end - start >= 26 || isAlnum(text.charCodeAt(start - 1)) || isAlnum(text.charCodeAt(end));

export const cryptoDetector: Detector = {
  id: 'crypto',
  entities: ['CRYPTO'],
  context: CRYPTO_CONTEXT,
  regexes: [BTC_ANCHOR, ETH],
  detect(input) {
    const out: Finding[] = [];
    const push = (start: number, end: number) => out.push({ entity: 'CRYPTO', start, end, score: 1, detector: 'crypto' });
    const { text } = input;
    // Every Bitcoin match starts with 1, 3 or bc1 and every Ethereum one with 0x: both hold a digit.
    const visitRun = (start: number, end: number) => {
      if (end - start < 26) return;
      const run = text.slice(start, end);
      for (const [s, e] of bitcoinMatches(run)) if (bitcoinAddressValid(run.slice(s, e))) push(start + s, start + e);
    };
    forEachDigitToken(input, isAlnum, fitsBitcoin, visitRun, BTC_ANCHOR);
    const runs = input.digitRuns();
    if (!runs) {
      scanAnchors(input, ETH, true, (_text, m, offset) => {
        if (ethereumAddressValid(m[0])) push(offset + m.index, offset + m.index + 42);
        return undefined;
      });
      return out;
    }
    let resume = 0;
    for (let r = 0; r < runs.count; r++) {
      const at = runs.end[r]! - 1;
      if (at < resume || text.charCodeAt(at) !== 48 || (text.charCodeAt(at + 1) | 0x20) !== 120) continue; // `0x`
      ETH_AT.lastIndex = at;
      const m = ETH_AT.exec(text);
      if (!m) continue;
      resume = at + m[0].length;
      if (ethereumAddressValid(m[0])) push(at, resume);
    }
    return out;
  },
};
