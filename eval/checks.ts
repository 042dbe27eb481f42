/**
 * Validators for the checksum entities, written for the harness alone (never shared with the
 * detectors) so that a bug on either side cannot hide the other. They take the value as written,
 * separators included, and strip what the format allows.
 */
import { createHash } from 'node:crypto';

const onlyDigits = (s: string) => s.replace(/[\s-]/g, '');

/** Luhn: from the right, every second digit doubled; the sum is a multiple of 10. */
export function luhnValid(value: string): boolean {
  const s = onlyDigits(value);
  if (!/^\d{2,}$/.test(s)) return false;
  let sum = 0;
  for (let i = 0; i < s.length; i++) {
    let d = s.charCodeAt(s.length - 1 - i) - 48;
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/** Payment card: 13–19 digits, Luhn, and separators (space or dash) used consistently. */
export function cardValid(value: string): boolean {
  const seps = new Set(value.replace(/\d/g, ''));
  if (seps.size > 1) return false;
  const len = onlyDigits(value).length;
  return len >= 13 && len <= 19 && luhnValid(value);
}

/** IBAN (ISO 13616): country letters, two check digits, BBAN; mod 97 of the rearranged number is 1. */
export function ibanValid(value: string): boolean {
  const s = value.replace(/\s/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(s)) return false;
  const rearranged = s.slice(4) + s.slice(0, 4);
  let rem = 0;
  for (const ch of rearranged) {
    const n = ch >= 'A' ? ch.charCodeAt(0) - 55 : ch.charCodeAt(0) - 48;
    rem = n > 9 ? (rem * 100 + n) % 97 : (rem * 10 + n) % 97;
  }
  return rem === 1;
}

/** ABA routing number: 9 digits, a Federal Reserve prefix, weights 3-7-1 sum to a multiple of 10. */
export function abaValid(value: string): boolean {
  const s = onlyDigits(value);
  if (!/^\d{9}$/.test(s)) return false;
  const prefix = Number(s.slice(0, 2));
  const known = prefix <= 12 || (prefix >= 21 && prefix <= 32) || (prefix >= 61 && prefix <= 72) || prefix === 80;
  if (!known) return false;
  const w = [3, 7, 1, 3, 7, 1, 3, 7, 1];
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += w[i]! * (s.charCodeAt(i) - 48);
  return sum % 10 === 0;
}

/** US SSN: area 001–899 except 666, group 01–99, serial 0001–9999. */
export function ssnValid(value: string): boolean {
  const s = value.replace(/[\s.-]/g, '');
  if (!/^\d{9}$/.test(s)) return false;
  const area = Number(s.slice(0, 3));
  const group = Number(s.slice(3, 5));
  const serial = Number(s.slice(5));
  return area > 0 && area < 900 && area !== 666 && group > 0 && serial > 0;
}

/** US ITIN: 9XX-YY-ZZZZ with YY in 50–65, 70–88, 90–92 or 94–99. */
export function itinValid(value: string): boolean {
  const s = value.replace(/[\s-]/g, '');
  if (!/^9\d{8}$/.test(s)) return false;
  const g = Number(s.slice(3, 5));
  return (g >= 50 && g <= 65) || (g >= 70 && g <= 88) || (g >= 90 && g <= 92) || (g >= 94 && g <= 99);
}

/** NPI: 10 digits starting 1 or 2, Luhn over the number prefixed with 80840 (ISO card issuer prefix). */
export function npiValid(value: string): boolean {
  return /^[12]\d{9}$/.test(value) && luhnValid(`80840${value}`);
}

/** DEA registration: two letters, six digits and a check digit = (d1+d3+d5 + 2·(d2+d4+d6)) mod 10. */
export function deaValid(value: string): boolean {
  const m = /^[A-Z][A-Z9](\d{7})$/.exec(value.toUpperCase());
  if (!m) return false;
  const d = [...m[1]!].map(Number);
  return (d[0]! + d[2]! + d[4]! + 2 * (d[1]! + d[3]! + d[5]!)) % 10 === d[6];
}

const VIN_VALUES: Record<string, number> = {
  A: 1, B: 2, C: 3, D: 4, E: 5, F: 6, G: 7, H: 8, J: 1, K: 2, L: 3, M: 4, N: 5,
  P: 7, R: 9, S: 2, T: 3, U: 4, V: 5, W: 6, X: 7, Y: 8, Z: 9,
};
const VIN_WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

/** VIN (ISO 3779 / 49 CFR 565): 17 characters without I, O, Q; position 9 is the mod-11 check. */
export function vinValid(value: string): boolean {
  const s = value.toUpperCase();
  if (!/^[A-HJ-NPR-Z0-9]{17}$/.test(s)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const ch = s[i]!;
    const v = ch <= '9' ? Number(ch) : VIN_VALUES[ch]!;
    sum += v * VIN_WEIGHTS[i]!;
  }
  const r = sum % 11;
  return s[8] === (r === 10 ? 'X' : String(r));
}

/** Medicare Beneficiary Identifier: the CMS position rules (letters exclude S, L, O, I, B, Z). */
export function mbiValid(value: string): boolean {
  const s = value.replace(/-/g, '').toUpperCase();
  const A = '[AC-HJKMNP-RT-Y]';
  const AN = '[AC-HJKMNP-RT-Y0-9]';
  return new RegExp(`^[1-9]${A}${AN}\\d${A}${AN}\\d${A}${A}\\d\\d$`).test(s);
}

/** NHS number: 10 digits, weights 10..2 on the first nine, check = 11 − (sum mod 11), 11 → 0, 10 never. */
export function nhsValid(value: string): boolean {
  const s = value.replace(/[\s-]/g, '');
  if (!/^\d{10}$/.test(s)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (s.charCodeAt(i) - 48) * (10 - i);
  const c = 11 - (sum % 11);
  if (c === 10) return false;
  return (c === 11 ? 0 : c) === s.charCodeAt(9) - 48;
}

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** Bitcoin base58check address (P2PKH "1…" or P2SH "3…"): the last 4 bytes are sha256(sha256(payload)). */
export function btcAddressValid(value: string): boolean {
  if (!/^[13][1-9A-HJ-NP-Za-km-z]{25,34}$/.test(value)) return false;
  let n = 0n;
  for (const ch of value) n = n * 58n + BigInt(BASE58.indexOf(ch));
  const bytes: number[] = [];
  while (n > 0n) {
    bytes.unshift(Number(n % 256n));
    n /= 256n;
  }
  for (const ch of value) {
    if (ch !== '1') break;
    bytes.unshift(0);
  }
  if (bytes.length !== 25) return false;
  const payload = Buffer.from(bytes.slice(0, 21));
  const sum = createHash('sha256').update(createHash('sha256').update(payload).digest()).digest();
  return sum.subarray(0, 4).equals(Buffer.from(bytes.slice(21)));
}

/** ISBN-13 (weights 1,3) or ISBN-10 (weights 10..1, X = 10); hyphens allowed. */
export function isbnValid(value: string): boolean {
  const s = value.replace(/[\s-]/g, '').toUpperCase();
  if (/^\d{13}$/.test(s)) {
    let sum = 0;
    for (let i = 0; i < 13; i++) sum += (s.charCodeAt(i) - 48) * (i % 2 === 0 ? 1 : 3);
    return sum % 10 === 0;
  }
  if (/^\d{9}[\dX]$/.test(s)) {
    let sum = 0;
    for (let i = 0; i < 10; i++) sum += (s[i] === 'X' ? 10 : s.charCodeAt(i) - 48) * (10 - i);
    return sum % 11 === 0;
  }
  return false;
}

/** The validator for each checksum entity, by entity type. */
export const VALIDATORS: Readonly<Record<string, (value: string) => boolean>> = {
  CREDIT_CARD: cardValid,
  IBAN_CODE: ibanValid,
  ABA_ROUTING_NUMBER: abaValid,
  US_SSN: ssnValid,
  US_ITIN: itinValid,
  US_NPI: npiValid,
  MEDICAL_LICENSE: deaValid,
  VIN: vinValid,
  US_MBI: mbiValid,
  UK_NHS: nhsValid,
  CRYPTO: btcAddressValid,
};
