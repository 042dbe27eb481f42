/** Certificate serial numbers as one canonical string: lower-case hex, no leading zeros, no colons. */
import { randomBytes } from 'node:crypto';

export function normalizeSerial(s: string): string {
  const hex = s.replace(/[:\s]/g, '').toLowerCase().replace(/^0+/, '');
  return hex === '' ? '0' : hex;
}

/** 128 random bits, positive (top bit clear), as RFC 5280 asks for unpredictable serials. */
export function newSerial(): string {
  const b = randomBytes(16);
  b[0] = (b[0]! & 0x7f) | 0x10; // positive, and no leading zero nibble to disagree about
  return b.toString('hex');
}
