/** One call to get encryption at rest for an ESQ_HOME: KMS (local unless given), keyring, envelope. */
import { EnvelopeCrypto } from './envelope.js';
import { Keyring, defaultKeyringPath } from './keyring.js';
import { loadLocalKms, type KmsProvider } from './kms.js';

export interface OpenCryptoOptions {
  home: string;
  env?: NodeJS.ProcessEnv;
  /** A cloud KMS plug-in; default: the local master key. */
  kms?: KmsProvider;
  keyringPath?: string;
  clock?: () => Date;
}

export function openEnvelopeCrypto(opts: OpenCryptoOptions): { crypto: EnvelopeCrypto; keyring: Keyring; kms: KmsProvider; close(): void } {
  const kms = opts.kms ?? loadLocalKms({ home: opts.home, ...(opts.env ? { env: opts.env } : {}) });
  const keyring = new Keyring({ path: opts.keyringPath ?? defaultKeyringPath(opts.home), kms, ...(opts.clock ? { clock: opts.clock } : {}) });
  return {
    crypto: new EnvelopeCrypto(keyring),
    keyring,
    kms,
    close() {
      keyring.close();
      kms.close?.();
    },
  };
}
