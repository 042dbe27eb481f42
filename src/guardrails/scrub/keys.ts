/**
 * Scrub keys: one master key, from which a separate key is derived (HKDF-SHA256) for each tenant
 * and purpose. The master key itself never keys an HMAC or a cipher, so a leaked hash key of one
 * tenant says nothing about another tenant's or about the encryption keys.
 *
 * `ScrubKeys` is deliberately narrow so a key hierarchy (KMS, rotation) can replace it later.
 */
import { createHash, hkdfSync } from 'node:crypto';
import { ConfigError, InvalidInputError } from '../../errors.js';
import { loadOrCreateKey } from '../../util/keys.js';

export type ScrubKeyPurpose = 'hash' | 'encrypt';

export interface ScrubKeys {
  /** A 32-byte key for one tenant and one purpose; the same inputs always give the same key. */
  key(purpose: ScrubKeyPurpose, tenant: string): Buffer;
}

export const MASTER_KEY_MIN_BYTES = 32;
const KEY_FILE = 'scrub-master';
const SALT = Buffer.from('esq/scrub/v1');
// Derived keys are cached; the bound keeps a stream of distinct tenants from growing memory forever.
const CACHE_LIMIT = 1024;

/** Derives tenant- and purpose-scoped keys from `master` (at least 32 bytes). */
export function hkdfScrubKeys(master: Uint8Array): ScrubKeys {
  if (master.length < MASTER_KEY_MIN_BYTES) throw new ConfigError(`scrub master key has ${master.length} bytes; at least ${MASTER_KEY_MIN_BYTES} are needed`);
  const ikm = Buffer.from(master); // a private copy: the caller may wipe or reuse its buffer
  const cache = new Map<string, Buffer>();
  return {
    key(purpose, tenant) {
      if (typeof tenant !== 'string' || tenant === '') throw new InvalidInputError('tenant must be a non-empty string');
      const id = `${purpose}\u0000${tenant}`;
      let k = cache.get(id);
      if (!k) {
        // The tenant is hashed so the info has a fixed length (HKDF caps it) and no separator can be forged.
        const info = Buffer.concat([Buffer.from(`esq.scrub.${purpose}:`), createHash('sha256').update(tenant, 'utf8').digest()]);
        k = Buffer.from(hkdfSync('sha256', ikm, SALT, info, 32));
        if (cache.size >= CACHE_LIMIT) cache.clear();
        cache.set(id, k);
      }
      return k;
    },
  };
}

/** Decodes `ESQ_MASTER_KEY` (standard or URL-safe base64). */
export function parseMasterKey(value: string, source = 'ESQ_MASTER_KEY'): Buffer {
  const v = value.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(v)) throw new ConfigError(`${source} is not base64; generate one with: openssl rand -base64 32`);
  const key = Buffer.from(v.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key.length < MASTER_KEY_MIN_BYTES) {
    throw new ConfigError(`${source} decodes to ${key.length} bytes; at least ${MASTER_KEY_MIN_BYTES} are needed (openssl rand -base64 32)`);
  }
  return key;
}

export interface LoadScrubKeysOptions {
  /** State folder holding `keys/scrub-master.key` when `ESQ_MASTER_KEY` is unset. */
  home: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * The master key from `ESQ_MASTER_KEY` when set (an empty value counts as unset), else from
 * `<home>/keys/scrub-master.key`, created 0600 on first use.
 */
export function loadMasterKey({ home, env = process.env }: LoadScrubKeysOptions): Buffer {
  const fromEnv = env.ESQ_MASTER_KEY;
  if (fromEnv !== undefined && fromEnv.trim() !== '') return parseMasterKey(fromEnv);
  const key = loadOrCreateKey(home, KEY_FILE, MASTER_KEY_MIN_BYTES);
  if (key.length < MASTER_KEY_MIN_BYTES) throw new ConfigError(`key file ${home}/keys/${KEY_FILE}.key holds ${key.length} bytes; at least ${MASTER_KEY_MIN_BYTES} are needed`);
  return key;
}

export function loadScrubKeys(options: LoadScrubKeysOptions): ScrubKeys {
  return hkdfScrubKeys(loadMasterKey(options));
}
