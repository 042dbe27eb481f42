/**
 * AES-256-GCM with associated data. Sealed form: version byte (1) | 12-byte IV | ciphertext | 16-byte tag.
 * A random 96-bit IV per message is safe here because every key (KEK or per-object data key)
 * encrypts few messages, far below the 2^32 limit for random IVs.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { InvalidInputError } from '../../errors.js';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Authentication failed: wrong key, wrong associated data (context), or tampered bytes. */
export class DecryptionError extends InvalidInputError {
  constructor(what: string) {
    super(`${what} does not authenticate: wrong key or context, or the data was altered`);
  }
}

export function seal(key: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Buffer {
  if (key.length !== 32) throw new InvalidInputError('AES-256-GCM needs a 32-byte key');
  const iv = randomBytes(IV_BYTES);
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(aad);
  const head = c.update(plaintext);
  const tail = c.final();
  const out = Buffer.concat([Buffer.from([VERSION]), iv, head, tail, c.getAuthTag()]);
  head.fill(0); // ciphertext, but keep the habit uniform: no stray copies
  return out;
}

/** The plaintext in a fresh Buffer the caller should `fill(0)` when done. */
export function open(key: Uint8Array, sealed: Uint8Array, aad: Uint8Array, what = 'ciphertext'): Buffer {
  if (key.length !== 32) throw new InvalidInputError('AES-256-GCM needs a 32-byte key');
  if (sealed.length < 1 + IV_BYTES + TAG_BYTES || sealed[0] !== VERSION) throw new DecryptionError(what);
  const buf = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  const d = createDecipheriv('aes-256-gcm', key, buf.subarray(1, 1 + IV_BYTES));
  d.setAAD(aad);
  d.setAuthTag(buf.subarray(buf.length - TAG_BYTES));
  const head = d.update(buf.subarray(1 + IV_BYTES, buf.length - TAG_BYTES));
  try {
    const tail = d.final();
    if (tail.length === 0) return head;
    const out = Buffer.concat([head, tail]);
    tail.fill(0);
    head.fill(0);
    return out;
  } catch {
    head.fill(0); // unauthenticated plaintext must never be used
    throw new DecryptionError(what);
  }
}
