/** Public surface of encryption at rest. */
export { DecryptionError, open, seal } from './aead.js';
export { CLASSIFICATION_PATTERN, checkClassification, encodeAad } from './context.js';
export type { CryptoContext } from './context.js';
export { EnvelopeCrypto, checkSealed } from './envelope.js';
export type { SealedObject } from './envelope.js';
export { Keyring, KEYRING_FORMAT, defaultKeyringPath } from './keyring.js';
export type { KekVersionInfo, KeyUsage, KeyringOptions } from './keyring.js';
export { LocalKms, loadLocalKms, MASTER_KEY_FILE } from './kms.js';
export type { KmsProvider, LocalKmsOptions } from './kms.js';
export { writeFileAtomic } from './atomic-file.js';
export { openEnvelopeCrypto } from './open.js';
export type { OpenCryptoOptions } from './open.js';
export { loadOrCreateDataKey, rewrapDataKeyFile } from './data-key-file.js';
