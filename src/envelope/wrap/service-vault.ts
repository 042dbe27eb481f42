/**
 * The vault as the wrapped service sees it: the vault's local API on a unix socket (0600, in the
 * sidecar's private run folder, reachable from inside the service's network namespace) or, where
 * there are no unix sockets, on loopback; and a session token of the service's own. The service
 * gets both through its environment (ESQ_VAULT_SOCKET or ESQ_VAULT_URL, and ESQ_VAULT_TOKEN),
 * which is all `envelope.vault.read(path)` in the SDK needs.
 *
 * In a pod the service is another container, which `esq wrap` does not launch: given a shared
 * folder (ESQ_VAULT_SHARE_DIR, an in-memory volume both containers mount), the socket goes there
 * with mode 0660 and the token into `token` (0640, replaced atomically), both for the group the
 * pod gives both containers (`fsGroup`); the service reads them through ESQ_VAULT_SOCKET and
 * ESQ_VAULT_TOKEN_FILE. The token file is removed when the session ends.
 *
 * What it may read: the service's grant (`esq vault grant`) plus the envelope file's
 * `secrets.allow`. Reads are leased and audited (`<ESQ_HOME>/vault/audit.jsonl`). When the sidecar
 * stops, the session ends: the token stops working and its leases are revoked. Revoking the
 * service (`esq vault revoke --service`) ends the session at once.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { defaultVaultAuditPath, jsonlVaultAudit } from '../vault/audit.js';
import { startVaultServer, type VaultServer } from '../vault/server.js';
import { VaultStore, defaultVaultDbPath } from '../vault/store.js';
import { Vault, VaultAccessError, type VaultAuditEvent } from '../vault/vault.js';
import { sidecarKms, type KeySettings } from './keys.js';
import { writeFileAtomic } from '../crypto/atomic-file.js';

export interface ServiceVaultOptions extends KeySettings {
  service: string;
  /** The envelope file's `secrets.allow`. */
  paths: readonly string[];
  /** The sidecar's private folder (0700) for the socket. */
  runDir: string;
  /** A folder shared with a service the sidecar does not launch (a pod's other container): socket and token file go there. */
  shareDir?: string;
  onAudit?: (e: VaultAuditEvent) => void;
  log: (line: string) => void;
}

export interface ServiceVault {
  vault: Vault;
  /** Where the service reaches the API: `unix:/…/vault.sock` or `http://127.0.0.1:…`. */
  endpoint: string;
  sessionId: string;
  paths: string[];
  /** What the service's process gets. */
  env: Record<string, string>;
  /** False once the session was ended from outside (the service revoked). */
  live(): boolean;
  close(): Promise<void>;
}

/** The variables through which a service reaches the vault; a parent's values never leak through. */
export const VAULT_ENV = ['ESQ_VAULT_SOCKET', 'ESQ_VAULT_URL', 'ESQ_VAULT_TOKEN'] as const;

/**
 * Starts the vault API for the service, or returns undefined (with a line saying why) when the
 * service has nothing to read or was revoked. A vault that was never set up is not created just
 * because a service was wrapped.
 */
export async function startServiceVault(o: ServiceVaultOptions): Promise<ServiceVault | undefined> {
  const own = o.paths.length === 0 ? operatorGrant(o.home, o.service) : undefined;
  if (o.paths.length === 0 && !own) {
    o.log(`· vault: nothing granted to ${o.service} (secrets.allow in the envelope file, or esq vault grant); no vault API for the service`);
    return undefined;
  }
  // From here the service needs its secrets: a vault that cannot be opened stops the start.
  const kms = sidecarKms(o, true);
  const vault = new Vault({ home: o.home, env: o.env, ...(kms ? { kms } : {}), onAudit: o.onAudit ?? jsonlVaultAudit(defaultVaultAuditPath(o.home)) });
  let server: VaultServer | undefined;
  try {
    let session;
    try {
      session = vault.openSession(o.service, o.paths);
    } catch (e) {
      if (!(e instanceof VaultAccessError)) throw e;
      o.log(`! vault: ${e.message}; the service gets no vault access`);
      vault.close(); // closes the root key too
      return undefined;
    }
    // Windows has no unix sockets for Node's http server: loopback TCP there.
    const shared = o.shareDir !== undefined && process.platform !== 'win32';
    if (shared) mkdirSync(o.shareDir!, { recursive: true, mode: 0o750 });
    server =
      process.platform === 'win32'
        ? await startVaultServer({ vault })
        : await startVaultServer({ vault, socketPath: join(shared ? o.shareDir! : o.runDir, 'vault.sock'), ...(shared ? { socketMode: 0o660 } : {}) });
    const endpoint = server.socketPath ? `unix:${server.socketPath}` : server.url!;
    const tokenFile = shared ? join(o.shareDir!, 'token') : undefined;
    if (tokenFile) writeFileAtomic(tokenFile, session.token, 0o640);
    const where: Record<string, string> = server.socketPath ? { ESQ_VAULT_SOCKET: server.socketPath } : { ESQ_VAULT_URL: server.url! };
    const env: Record<string, string> = tokenFile ? { ...where, ESQ_VAULT_TOKEN_FILE: tokenFile } : { ...where, ESQ_VAULT_TOKEN: session.token };
    const grants = new Set([...session.paths, ...(vault.services().find((x) => x.id === o.service && x.revokedAt === null)?.paths ?? [])]);
    o.log(`✔ vault API for ${o.service} on ${endpoint} (reads ${[...grants].join(', ')}; leased and audited)`);
    const srv = server;
    const { id, token } = session;
    return {
      vault,
      endpoint,
      sessionId: id,
      paths: session.paths,
      env,
      live: () => vault.authenticate(token) !== undefined,
      async close() {
        if (tokenFile) rmSync(tokenFile, { force: true });
        await srv.close();
        try {
          vault.closeSession(id);
        } finally {
          vault.close();
        }
      },
    };
  } catch (e) {
    await server?.close();
    vault.close();
    throw e;
  }
}

/** The service's own grant (`esq vault grant`), read from the store alone: no keys are opened or made. */
function operatorGrant(home: string, service: string): string[] | undefined {
  const file = defaultVaultDbPath(home);
  if (!existsSync(file)) return undefined;
  const store = new VaultStore(file);
  try {
    const row = store.stmt('SELECT paths FROM services WHERE id = ? AND revoked_at IS NULL').get(service) as { paths: string } | undefined;
    return row ? (JSON.parse(row.paths) as string[]) : undefined;
  } finally {
    store.close();
  }
}
