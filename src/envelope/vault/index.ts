/** Public surface of the secrets vault. */
export { Vault, VaultAccessError, DEFAULT_CLASSIFICATION, SECRET_PURPOSE, checkSecretPath, hashToken } from './vault.js';
export type { LeaseInfo, LeasedValue, SecretInfo, ServiceInfo, VaultAccessKind, VaultAuditAction, VaultAuditEvent, VaultOptions, VaultSession } from './vault.js';
export { startVaultServer } from './server.js';
export type { VaultServer, VaultServerOptions } from './server.js';
export { createVaultClient, envelope, vaultClientFromEnv } from './client.js';
export type { LeasedSecret, VaultClient, VaultClientOptions } from './client.js';
export { defaultVaultAuditPath, jsonlVaultAudit } from './audit.js';
export { VaultStore, defaultVaultDbPath } from './store.js';
export { currentHolder, holderGone, processAlive } from './holder.js';
