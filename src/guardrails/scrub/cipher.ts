/**
 * The `encrypt` token: `ENC[v1:<ENTITY>:<base64url(iv ‖ ciphertext ‖ tag)>]`, AES-256-GCM with a
 * random 96-bit IV under the tenant's derived key. The associated data binds the tenant and the
 * entity, so a token pasted into another tenant's text or relabelled as another entity fails
 * authentication instead of decrypting. `]`, `:` and `[` never occur in base64url, so a token's
 * end is unambiguous in any surrounding text.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { InvalidInputError } from '../../errors.js';
import type { ScrubKeys } from './keys.js';
import { checkEntityName } from './types.js';

export const ENC_TOKEN_PATTERN = /ENC\[v1:([A-Za-z][A-Za-z0-9_.-]{0,63}):([A-Za-z0-9_-]+)\]/g;

const IV_BYTES = 12;
const TAG_BYTES = 16;

function aad(tenant: string, entity: string): Buffer {
  // JSON keeps the two fields apart whatever characters the tenant holds.
  return Buffer.from(JSON.stringify(['esq.scrub.encrypt.v1', tenant, entity]), 'utf8');
}

export function seal(keys: ScrubKeys, tenant: string, entity: string, plaintext: string): string {
  checkEntityName(entity);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keys.key('encrypt', tenant), iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad(tenant, entity));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `ENC[v1:${entity}:${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}]`;
}

/** Decrypts one token's payload; any failure is the same error, since GCM cannot tell which. */
export function open(keys: ScrubKeys, tenant: string, entity: string, payload: string): string {
  const raw = Buffer.from(payload, 'base64url');
  const fail = (cause?: unknown): never => {
    throw new InvalidInputError(
      `cannot decrypt an ENC[v1:${entity}:…] token: wrong key or tenant, or the token was altered or moved from another entity`,
      cause === undefined ? undefined : { cause },
    );
  };
  if (raw.length < IV_BYTES + TAG_BYTES) return fail();
  try {
    const decipher = createDecipheriv('aes-256-gcm', keys.key('encrypt', tenant), raw.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(aad(tenant, entity));
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    const plain = Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]);
    return plain.toString('utf8');
  } catch (e) {
    return fail(e);
  }
}
