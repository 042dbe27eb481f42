/**
 * Console user passwords: scrypt (memory-hard, in node:crypto) with a random per-user salt, stored
 * as `scrypt$N$r$p$<salt>$<hash>` so the cost can be raised later without breaking old hashes.
 * Comparison is constant-time.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { InvalidInputError } from '../../errors.js';

const scrypt = (pw: string, salt: Buffer, len: number, o: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) => scryptCb(pw.normalize('NFC'), salt, len, o, (e, k) => (e ? reject(e) : resolve(k))));

/** 2^15 × r=8: 32 MiB and ~50–100 ms per hash, the OWASP floor for scrypt. */
const DEFAULT = { N: 1 << 15, r: 8, p: 1 };
const KEY_LEN = 32;
const SALT_LEN = 16;
export const MIN_PASSWORD_LENGTH = 12;
const MAX_PASSWORD_LENGTH = 1024;

function options(N: number, r: number, p: number): ScryptOptions {
  return { N, r, p, maxmem: 256 * N * r + 1024 * 1024 };
}

/** Refuses passwords too short to resist guessing, and absurdly long ones (hashing cost). */
export function checkNewPassword(pw: string): void {
  if ([...pw].length < MIN_PASSWORD_LENGTH) throw new InvalidInputError(`the password must be at least ${MIN_PASSWORD_LENGTH} characters`);
  if (pw.length > MAX_PASSWORD_LENGTH) throw new InvalidInputError(`the password must be at most ${MAX_PASSWORD_LENGTH} characters`);
}

export async function hashPassword(pw: string, cost: { N: number; r: number; p: number } = DEFAULT): Promise<string> {
  const salt = randomBytes(SALT_LEN);
  const key = await scrypt(pw, salt, KEY_LEN, options(cost.N, cost.r, cost.p));
  return `scrypt$${cost.N}$${cost.r}$${cost.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** False for a wrong password and for a hash this module did not write (never throws on bad input). */
export async function verifyPassword(pw: string, encoded: string): Promise<boolean> {
  const parts = encoded.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt' || pw.length > MAX_PASSWORD_LENGTH) return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  // Bounds keep a tampered row from making one sign-in allocate gigabytes.
  if (!Number.isInteger(Math.log2(N)) || N < 1024 || N > 1 << 20 || !(r >= 1 && r <= 32) || !(p >= 1 && p <= 16)) return false;
  const salt = Buffer.from(parts[4]!, 'base64url');
  const want = Buffer.from(parts[5]!, 'base64url');
  if (salt.length < 8 || want.length < 16) return false;
  const got = await scrypt(pw, salt, want.length, options(N, r, p));
  return timingSafeEqual(got, want);
}

let dummy: Promise<string> | undefined;
/**
 * A hash of a random password, to verify against when the user does not exist: an unknown name
 * costs as much time as a wrong password, so timing does not reveal which names exist.
 */
export function dummyHash(): Promise<string> {
  return (dummy ??= hashPassword(randomBytes(24).toString('base64url')));
}
