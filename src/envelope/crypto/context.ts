/**
 * The context a ciphertext is bound to, as AES-GCM associated data: object id, classification,
 * purpose. Encoded length-prefixed so no two different contexts share an encoding.
 */
import { InvalidInputError } from '../../errors.js';

export interface CryptoContext {
  /** What the ciphertext is: a vault path, a record id. */
  objectId: string;
  /** A KMS key class, `esq:kms:<name>` (e.g. `esq:kms:pii-high`). */
  classification: string;
  /** Why it is stored (e.g. `vault.secret`): the same object under another purpose does not decrypt. */
  purpose: string;
}

export const CLASSIFICATION_PATTERN = /^esq:kms:[a-z0-9][a-z0-9._-]{0,62}$/;

export function checkClassification(c: unknown): string {
  if (typeof c !== 'string' || !CLASSIFICATION_PATTERN.test(c)) {
    throw new InvalidInputError(`classification ${JSON.stringify(c)} must look like esq:kms:<name> (lowercase letters, digits, . _ -), e.g. esq:kms:pii-high`);
  }
  return c;
}

export function checkContext(ctx: CryptoContext): CryptoContext {
  checkClassification(ctx?.classification);
  for (const k of ['objectId', 'purpose'] as const) {
    if (typeof ctx[k] !== 'string' || ctx[k] === '') throw new InvalidInputError(`crypto context ${k} must be a non-empty string`);
  }
  return ctx;
}

/** `label` separates uses (data vs. wrapped data key vs. wrapped KEK); `fields` are the bound values. */
export function encodeAad(label: string, fields: readonly (string | number)[]): Buffer {
  const parts = [label, ...fields.map(String)].map((s) => Buffer.from(s, 'utf8'));
  const out = Buffer.alloc(parts.reduce((n, p) => n + 4 + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.writeUInt32BE(p.length, o);
    p.copy(out, o + 4);
    o += 4 + p.length;
  }
  return out;
}
