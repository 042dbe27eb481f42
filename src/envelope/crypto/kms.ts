/**
 * The root of the key hierarchy. A `KmsProvider` wraps and unwraps key-encryption keys; the local
 * provider holds a master key (ESQ_MASTER_KEY, or `<ESQ_HOME>/keys/master.key`, 0600), a cloud
 * provider would call its KMS (AWS KMS Encrypt/Decrypt with an encryption context, GCP KMS with
 * additional authenticated data…) and never expose the root key.
 */
import { createHash, hkdfSync } from 'node:crypto';
import { ConfigError } from '../../errors.js';
import { parseMasterKey, MASTER_KEY_MIN_BYTES } from '../../guardrails/scrub/keys.js';
import { loadOrCreateKey } from '../../util/keys.js';
import { open, seal } from './aead.js';

export interface KmsProvider {
  /** Names the root key (never derived reversibly from it); the keyring records it to catch a wrong key. */
  readonly keyId: string;
  /** Wraps a key; `aad` must be given again to unwrap. */
  wrap(key: Uint8Array, aad: Uint8Array): Promise<Buffer>;
  /** The unwrapped key in a fresh Buffer (the caller zeroes it). Throws DecryptionError on a wrong key or aad. */
  unwrap(wrapped: Uint8Array, aad: Uint8Array): Promise<Buffer>;
  /** Forget key material held in memory. */
  close?(): void;
}

export const MASTER_KEY_FILE = 'master';
const SALT = Buffer.from('esq/envelope/kms/v1');

/** The default provider: a local master key. The master never keys a cipher itself; an HKDF subkey does. */
export class LocalKms implements KmsProvider {
  readonly keyId: string;
  private readonly wrapKey: Buffer;

  constructor(master: Uint8Array) {
    if (master.length < MASTER_KEY_MIN_BYTES) throw new ConfigError(`master key has ${master.length} bytes; at least ${MASTER_KEY_MIN_BYTES} are needed`);
    this.wrapKey = Buffer.from(hkdfSync('sha256', master, SALT, 'esq.kms.wrap', 32));
    const idKey = Buffer.from(hkdfSync('sha256', master, SALT, 'esq.kms.id', 32));
    this.keyId = `local:${createHash('sha256').update(idKey).digest('hex').slice(0, 16)}`;
    idKey.fill(0);
  }

  async wrap(key: Uint8Array, aad: Uint8Array): Promise<Buffer> {
    return seal(this.wrapKey, key, aad);
  }

  async unwrap(wrapped: Uint8Array, aad: Uint8Array): Promise<Buffer> {
    return open(this.wrapKey, wrapped, aad, 'wrapped key-encryption key');
  }

  close(): void {
    this.wrapKey.fill(0);
  }
}

export interface LocalKmsOptions {
  home: string;
  env?: NodeJS.ProcessEnv;
}

/** ESQ_MASTER_KEY when set (base64, ≥ 32 bytes), else `<home>/keys/master.key`, created 0600 on first use. */
export function loadLocalKms({ home, env = process.env }: LocalKmsOptions): LocalKms {
  const fromEnv = env.ESQ_MASTER_KEY;
  const master = fromEnv !== undefined && fromEnv.trim() !== '' ? parseMasterKey(fromEnv) : loadOrCreateKey(home, MASTER_KEY_FILE, 32);
  try {
    return new LocalKms(master);
  } finally {
    master.fill(0);
  }
}
