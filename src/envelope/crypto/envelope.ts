/**
 * Envelope encryption of objects: each object gets its own random data key (DEK); the DEK is
 * wrapped by the classification's current KEK; the KEK is wrapped by the KMS. Both layers are
 * AES-256-GCM with the object's context (id, classification, purpose) as associated data, so a
 * ciphertext moved to another object, class or purpose does not decrypt.
 *
 * Rotation re-wraps the DEK only (`rewrap`): the data ciphertext is untouched.
 */
import { randomBytes } from 'node:crypto';
import { InvalidInputError } from '../../errors.js';
import { DecryptionError, open, seal } from './aead.js';
import { checkContext, encodeAad, type CryptoContext } from './context.js';
import type { Keyring } from './keyring.js';

/** What is stored for an encrypted object (JSON-safe). */
export interface SealedObject {
  v: 1;
  /** Classification whose KEK wraps the data key. */
  cls: string;
  /** KEK version. */
  kek: number;
  /** The data key, wrapped by the KEK (base64). */
  dek: string;
  /** The data, sealed by the data key (base64). */
  ct: string;
}

const dataAad = (c: CryptoContext): Buffer => encodeAad('esq.data/v1', [c.objectId, c.classification, c.purpose]);
const dekAad = (c: CryptoContext, kek: number): Buffer => encodeAad('esq.dek/v1', [c.objectId, c.classification, c.purpose, kek]);

export function checkSealed(o: unknown): SealedObject {
  const s = o as SealedObject;
  if (!s || s.v !== 1 || typeof s.cls !== 'string' || !Number.isInteger(s.kek) || typeof s.dek !== 'string' || typeof s.ct !== 'string') {
    throw new InvalidInputError('not a sealed object (expected {v:1, cls, kek, dek, ct})');
  }
  return s;
}

export class EnvelopeCrypto {
  constructor(readonly keyring: Keyring) {}

  async encrypt(plaintext: Uint8Array, ctx: CryptoContext): Promise<SealedObject> {
    checkContext(ctx);
    const { version, key } = await this.keyring.current(ctx.classification);
    const dek = randomBytes(32);
    try {
      const ct = seal(dek, plaintext, dataAad(ctx));
      const wrapped = seal(key, dek, dekAad(ctx, version));
      return { v: 1, cls: ctx.classification, kek: version, dek: wrapped.toString('base64'), ct: ct.toString('base64') };
    } finally {
      dek.fill(0);
    }
  }

  private async openDek(obj: SealedObject, ctx: CryptoContext): Promise<Buffer> {
    checkContext(ctx);
    checkSealed(obj);
    if (obj.cls !== ctx.classification) throw new DecryptionError('data key');
    const kek = await this.keyring.kek(obj.cls, obj.kek);
    return open(kek, Buffer.from(obj.dek, 'base64'), dekAad(ctx, obj.kek), 'data key');
  }

  /** The plaintext in a fresh Buffer: zero it (`fill(0)`) when done. */
  async decrypt(obj: SealedObject, ctx: CryptoContext): Promise<Buffer> {
    const dek = await this.openDek(obj, ctx);
    try {
      return open(dek, Buffer.from(obj.ct, 'base64'), dataAad(ctx), 'object');
    } finally {
      dek.fill(0);
    }
  }

  /** The same object with its data key wrapped by the current KEK; `ct` is unchanged. */
  async rewrap(obj: SealedObject, ctx: CryptoContext): Promise<SealedObject> {
    const { version, key } = await this.keyring.current(ctx.classification);
    if (obj.kek === version) return obj;
    const dek = await this.openDek(obj, ctx);
    try {
      return { ...obj, kek: version, dek: seal(key, dek, dekAad(ctx, version)).toString('base64') };
    } finally {
      dek.fill(0);
    }
  }
}
