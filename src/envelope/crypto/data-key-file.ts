/**
 * A long-lived 32-byte key kept sealed under the key hierarchy in a small JSON file (0600, written
 * atomically): how keys that must stay stable, such as the scrub master behind HKDF scrub keys,
 * can move under KMS and rotation later:
 *
 *   const master = await loadOrCreateDataKey(crypto, join(home, 'keys', 'scrub-master.sealed.json'), 'scrub-master', 'esq:kms:internal');
 *   const keys = hkdfScrubKeys(master);  // guardrails/scrub/keys.ts, unchanged
 *
 * The key's value never changes; `rewrapDataKeyFile` moves its wrapping to the current KEK.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigError } from '../../errors.js';
import { writeFileAtomic } from './atomic-file.js';
import type { CryptoContext } from './context.js';
import { checkSealed, type EnvelopeCrypto, type SealedObject } from './envelope.js';
import { withFileLock } from './file-lock.js';

const contextOf = (name: string, classification: string): CryptoContext => ({ objectId: `key:${name}`, classification, purpose: 'esq.data-key' });

function readSealed(path: string): SealedObject | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    return checkSealed(JSON.parse(text));
  } catch {
    throw new ConfigError(`sealed key file ${path} is damaged; restore it from backup`);
  }
}

/** The key (a fresh Buffer the caller may zero), created on first use. */
export async function loadOrCreateDataKey(crypto: EnvelopeCrypto, path: string, name: string, classification: string): Promise<Buffer> {
  const ctx = contextOf(name, classification);
  const existing = readSealed(path);
  if (existing) return crypto.decrypt(existing, ctx);
  return withFileLock(path, async () => {
    const raced = readSealed(path);
    if (raced) return crypto.decrypt(raced, ctx);
    const key = randomBytes(32);
    writeFileAtomic(path, `${JSON.stringify(await crypto.encrypt(key, ctx))}\n`, 0o600);
    return key;
  });
}

/** Re-wraps the sealed key under the current KEK (after a rotation). True when the file changed. */
export async function rewrapDataKeyFile(crypto: EnvelopeCrypto, path: string, name: string, classification: string): Promise<boolean> {
  return withFileLock(path, async () => {
    const sealed = readSealed(path);
    if (!sealed) return false;
    const next = await crypto.rewrap(sealed, contextOf(name, classification));
    if (next === sealed) return false;
    writeFileAtomic(path, `${JSON.stringify(next)}\n`, 0o600);
    return true;
  });
}
