/**
 * The sidecar's view of encryption at rest: which root key it uses (the envelope file's
 * `keys.masterKeyFile`, else ESQ_MASTER_KEY, else `<ESQ_HOME>/keys/master.key`) and what key
 * currently protects the service's data (`keys.storageKeyId`, a keyring class such as
 * `esq:kms:pii-high`), read from the keyring the vault uses. Reporting never creates a key.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../errors.js';
import { parseMasterKey } from '../../guardrails/scrub/keys.js';
import { CLASSIFICATION_PATTERN } from '../crypto/context.js';
import { Keyring, defaultKeyringPath } from '../crypto/keyring.js';
import { LocalKms, MASTER_KEY_FILE, loadLocalKms, type KmsProvider } from '../crypto/kms.js';

export interface KeySettings {
  home: string;
  /** Where ESQ_MASTER_KEY is looked up. */
  env: NodeJS.ProcessEnv;
  masterKeyFile?: string;
}

function kmsFromFile(file: string): LocalKms {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`keys.masterKeyFile ${file} cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const key = parseMasterKey(text, file);
  try {
    return new LocalKms(key);
  } finally {
    key.fill(0);
  }
}

/** The root key for this envelope; `create` lets the default key file be made on first use (as the vault does). */
export function sidecarKms(k: KeySettings, create: boolean): KmsProvider | undefined {
  if (k.masterKeyFile) return kmsFromFile(k.masterKeyFile);
  const fromEnv = k.env.ESQ_MASTER_KEY;
  if (!create && (fromEnv === undefined || fromEnv.trim() === '') && !existsSync(join(k.home, 'keys', `${MASTER_KEY_FILE}.key`))) return undefined;
  return loadLocalKms({ home: k.home, env: k.env });
}

/** `esq:kms:pii-high v2`: the class and its current key-encryption-key version, or undefined when there is none. */
export function currentKeyId(keyring: Pick<Keyring, 'describe'>, keyClass: string): string | undefined {
  const c = keyring.describe().find((x) => x.classification === keyClass);
  return c && c.current > 0 ? `${keyClass} v${c.current}` : undefined;
}

/**
 * A status provider for the storage key. Opens the keyring read-only on first use (when a
 * keyring and a root key exist; a root key that does not match the keyring is reported as
 * unknown, not guessed), or uses `shared` (the vault's own) when the sidecar runs one.
 */
export function storageKeyProvider(k: KeySettings, keyClass: string, shared?: () => Keyring | undefined): { provide: () => string | undefined; close: () => void } {
  let own: { keyring: Keyring; kms: KmsProvider } | undefined;
  return {
    provide() {
      if (!CLASSIFICATION_PATTERN.test(keyClass)) return undefined; // an external key (a cloud KMS ARN): nothing here to verify
      const ring = shared?.();
      if (ring) return currentKeyId(ring, keyClass);
      if (!own) {
        if (!existsSync(defaultKeyringPath(k.home))) return undefined;
        const kms = sidecarKms(k, false);
        if (!kms) return undefined;
        try {
          own = { keyring: new Keyring({ path: defaultKeyringPath(k.home), kms }), kms };
        } catch (e) {
          kms.close?.();
          throw e;
        }
      }
      return currentKeyId(own.keyring, keyClass);
    },
    close() {
      own?.keyring.close();
      own?.kms.close?.();
      own = undefined;
    },
  };
}
