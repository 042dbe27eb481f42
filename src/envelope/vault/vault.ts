/**
 * The secrets vault: secrets sealed with envelope encryption (crypto/) in a SQLite store; services
 * authenticate with a per-service token and read the paths they were granted; every read issues a
 * lease (TTL, renew, revoke) and is audited. Revoking a service revokes its token and its leases.
 *
 * Plaintext handling: values arrive and leave as Buffers, which are zeroed after use here. What
 * the runtime does not let us wipe is documented where it happens (strings, socket buffers).
 */
import { createHash, randomBytes } from 'node:crypto';
import { EnvelopeCrypto, checkSealed } from '../crypto/envelope.js';
import { checkClassification, type CryptoContext } from '../crypto/context.js';
import { openEnvelopeCrypto } from '../crypto/open.js';
import type { KmsProvider } from '../crypto/kms.js';
import { InvalidInputError } from '../../errors.js';
import { globToRegexSource } from '../../util/glob.js';
import { currentHolder, holderGone } from './holder.js';
import { VaultStore, defaultVaultDbPath, type LeaseRow, type SecretRow, type ServiceRow, type SessionRow } from './store.js';

export const DEFAULT_CLASSIFICATION = 'esq:kms:secrets';
export const SECRET_PURPOSE = 'vault.secret';
const PATH_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;
const SERVICE_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export type VaultAccessKind = 'unauthenticated' | 'forbidden' | 'not-found' | 'lease-invalid';

/** A refused vault access. `kind` maps to HTTP 401/403/404/410 at the API edge. */
export class VaultAccessError extends InvalidInputError {
  readonly kind: VaultAccessKind;
  constructor(kind: VaultAccessKind, message: string) {
    super(message);
    this.kind = kind;
  }
}

export type VaultAuditAction =
  | 'read' | 'lease-read' | 'renew' | 'revoke-lease' | 'revoke-service' | 'put' | 'delete' | 'grant' | 'rotate' | 'retire' | 'admin-read'
  | 'open-session' | 'close-session';

/** One audit record. Never carries a secret value or a token. */
export interface VaultAuditEvent {
  time: string;
  action: VaultAuditAction;
  outcome: 'ok' | 'denied' | 'not-found' | 'error';
  /** The service (for API reads) or the operator actor (`cli`). */
  actor: string;
  path?: string;
  leaseId?: string;
  /** The sidecar session the access came through, when it came through one. */
  session?: string;
  version?: number;
  reason?: string;
}

export interface LeaseInfo {
  id: string;
  service: string;
  path: string;
  issuedAt: string;
  expiresAt: string;
  /** Seconds left. */
  ttlSeconds: number;
  /** Renewals cannot extend past this. */
  maxExpiresAt: string;
  revoked: boolean;
}

export interface SecretInfo {
  path: string;
  version: number;
  classification: string;
  kekVersion: number;
  createdAt: string;
  updatedAt: string;
}

export interface ServiceInfo {
  id: string;
  paths: string[];
  createdAt: string;
  revokedAt: string | null;
}

/** A sidecar's access for its service (see `Vault.openSession`). The token is shown only here. */
export interface VaultSession {
  id: string;
  service: string;
  token: string;
  /** Patterns from the envelope file, on top of the service's own grant. */
  paths: string[];
}

/** Who is calling: a service with its own token, or a sidecar session on the service's behalf. */
interface Caller {
  service: string;
  session?: string;
  /** The session's own patterns (JSON), when the caller is a session. */
  sessionPaths?: string;
}

export interface LeasedValue {
  /** The plaintext: the caller zeroes it (`fill(0)`) when done. */
  value: Buffer;
  version: number;
  lease: LeaseInfo;
}

export interface VaultOptions {
  home: string;
  env?: NodeJS.ProcessEnv;
  /** Default: local master key (ESQ_MASTER_KEY or keys/master.key). */
  kms?: KmsProvider;
  /** Supply a ready EnvelopeCrypto instead of opening one for `home`. */
  crypto?: EnvelopeCrypto;
  dbPath?: string;
  onAudit?: (event: VaultAuditEvent) => void;
  clock?: () => Date;
  /** Lease TTL when the reader asks for none. Default 15 min. */
  leaseTtlMs?: number;
  /** Longest a lease can live, renewals included. Default 24 h. */
  maxLeaseTtlMs?: number;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function checkSecretPath(path: unknown): string {
  if (typeof path !== 'string' || path.length > 256 || !PATH_PATTERN.test(path)) {
    throw new InvalidInputError(`secret path ${JSON.stringify(path)} must be segments of letters, digits, . _ - separated by "/" (e.g. banking/apiToken)`);
  }
  return path;
}

function checkService(id: unknown): string {
  if (typeof id !== 'string' || !SERVICE_PATTERN.test(id)) throw new InvalidInputError(`service id ${JSON.stringify(id)} must be 1–64 of a-z 0-9 . _ - (starting with a letter or digit)`);
  return id;
}

function checkGrants(paths: readonly string[], allowEmpty = false): string[] {
  if (!Array.isArray(paths) || (paths.length === 0 && !allowEmpty)) throw new InvalidInputError('grant at least one path pattern (e.g. banking/* or banking/**)');
  for (const p of paths) {
    const literal = p.replace(/\*\*|\*|\?/g, 'x');
    if (!PATH_PATTERN.test(literal)) throw new InvalidInputError(`path pattern ${JSON.stringify(p)} is not a secret path with * / ** / ? wildcards`);
  }
  return [...paths];
}

const contextFor = (row: Pick<SecretRow, 'path' | 'version' | 'classification'>): CryptoContext => ({
  // The version is bound too: an older sealed copy written back into the row does not open.
  objectId: `vault:${row.path}#${row.version}`,
  classification: row.classification,
  purpose: SECRET_PURPOSE,
});

export class Vault {
  readonly store: VaultStore;
  readonly crypto: EnvelopeCrypto;
  private readonly closeCrypto: () => void;
  private readonly onAudit: (e: VaultAuditEvent) => void;
  private readonly clock: () => Date;
  private readonly leaseTtlMs: number;
  private readonly maxLeaseTtlMs: number;
  private readonly grantCache = new Map<string, RegExp[]>();
  private issued = 0;

  constructor(opts: VaultOptions) {
    if (opts.crypto) {
      this.crypto = opts.crypto;
      this.closeCrypto = () => undefined;
    } else {
      const c = openEnvelopeCrypto({ home: opts.home, ...(opts.env ? { env: opts.env } : {}), ...(opts.kms ? { kms: opts.kms } : {}) });
      this.crypto = c.crypto;
      this.closeCrypto = c.close;
    }
    this.store = new VaultStore(opts.dbPath ?? defaultVaultDbPath(opts.home));
    this.onAudit = opts.onAudit ?? (() => undefined);
    this.clock = opts.clock ?? (() => new Date());
    this.leaseTtlMs = opts.leaseTtlMs ?? 15 * 60_000;
    this.maxLeaseTtlMs = opts.maxLeaseTtlMs ?? 24 * 3_600_000;
  }

  private audit(e: Omit<VaultAuditEvent, 'time'>): void {
    try {
      this.onAudit({ time: this.clock().toISOString(), ...e });
    } catch {
      // An audit sink's failure must not leak as a different error to the reader.
    }
  }

  // ---- secrets (operator side) ----

  /** Stores (or replaces) a secret. A string value is copied into a Buffer that is zeroed after sealing; a Buffer is left as given. */
  async put(path: string, value: Uint8Array | string, opts: { classification?: string; actor?: string } = {}): Promise<SecretInfo> {
    checkSecretPath(path);
    const classification = checkClassification(opts.classification ?? DEFAULT_CLASSIFICATION);
    const actor = opts.actor ?? 'cli';
    const plain = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
    try {
      for (let attempt = 0; attempt < 5; attempt++) {
        const prev = this.store.getSecret(path);
        const version = (prev?.version ?? 0) + 1;
        const sealed = await this.crypto.encrypt(plain, contextFor({ path, version, classification }));
        const now = this.clock().toISOString();
        // Compare-and-set on the version: a concurrent put from another process makes us retry, not clobber.
        const info = prev
          ? this.store.stmt('UPDATE secrets SET classification = ?, kek_version = ?, sealed = ?, version = ?, updated_at = ? WHERE path = ? AND version = ?')
            .run(classification, sealed.kek, JSON.stringify(sealed), version, now, path, prev.version)
          : this.store.stmt('INSERT OR IGNORE INTO secrets (path, classification, kek_version, sealed, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
            .run(path, classification, sealed.kek, JSON.stringify(sealed), version, now, now);
        if (info.changes === 1) {
          this.audit({ action: 'put', outcome: 'ok', actor, path, version });
          return { path, version, classification, kekVersion: sealed.kek, createdAt: prev?.created_at ?? now, updatedAt: now };
        }
      }
      throw new InvalidInputError(`secret ${path} is being changed concurrently; try again`);
    } finally {
      if (typeof value === 'string') plain.fill(0);
    }
  }

  list(): SecretInfo[] {
    return this.store.listSecrets().map((r) => ({ path: r.path, version: r.version, classification: r.classification, kekVersion: r.kek_version, createdAt: r.created_at, updatedAt: r.updated_at }));
  }

  delete(path: string, actor = 'cli'): boolean {
    checkSecretPath(path);
    const gone = this.store.stmt('DELETE FROM secrets WHERE path = ?').run(path).changes > 0;
    this.audit({ action: 'delete', outcome: gone ? 'ok' : 'not-found', actor, path });
    return gone;
  }

  private async decryptRow(row: SecretRow): Promise<Buffer> {
    return this.crypto.decrypt(checkSealed(JSON.parse(row.sealed)), contextFor(row));
  }

  /** An operator read (CLI), outside any service grant. Audited. The caller zeroes the Buffer. */
  async adminRead(path: string, actor = 'cli'): Promise<{ value: Buffer; version: number }> {
    checkSecretPath(path);
    const row = this.store.getSecret(path);
    if (!row) {
      this.audit({ action: 'admin-read', outcome: 'not-found', actor, path });
      throw new VaultAccessError('not-found', `no secret at ${path} (see esq vault list)`);
    }
    const value = await this.decryptRow(row);
    this.audit({ action: 'admin-read', outcome: 'ok', actor, path, version: row.version });
    return { value, version: row.version };
  }

  // ---- services ----

  /** Creates or replaces a service's grant and issues a new token (shown once; only its hash is stored). */
  grant(service: string, paths: readonly string[], actor = 'cli'): { service: string; token: string; paths: string[] } {
    checkService(service);
    const grants = checkGrants(paths);
    const token = `esqv_${service}_${randomBytes(32).toString('base64url')}`;
    const now = this.clock().toISOString();
    this.store.stmt(`INSERT INTO services (id, token_hash, paths, created_at, revoked_at) VALUES (?, ?, ?, ?, NULL)
      ON CONFLICT (id) DO UPDATE SET token_hash = excluded.token_hash, paths = excluded.paths, created_at = excluded.created_at, revoked_at = NULL`)
      .run(service, hashToken(token), JSON.stringify(grants), now);
    this.audit({ action: 'grant', outcome: 'ok', actor, reason: `${service}: ${grants.join(', ')}` });
    return { service, token, paths: grants };
  }

  services(): ServiceInfo[] {
    return (this.store.stmt('SELECT * FROM services ORDER BY id').all() as ServiceRow[]).map((r) => ({ id: r.id, paths: JSON.parse(r.paths) as string[], createdAt: r.created_at, revokedAt: r.revoked_at }));
  }

  /**
   * Revokes a service: its token, its sidecar sessions and every lease it holds. The revocation
   * sticks: a sidecar started later is refused a session until `grant` restores the service.
   * `revoked` says whether the service held a live token or session.
   */
  revokeService(service: string, actor = 'cli'): { revoked: boolean; leasesRevoked: number; sessionsRevoked: number } {
    checkService(service);
    const now = this.clock();
    const out = this.store.db.transaction(() => {
      const tokenRevoked = this.store.stmt('UPDATE services SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now.toISOString(), service).changes > 0;
      const sessionsRevoked = this.store.stmt('UPDATE sessions SET revoked_at = ? WHERE service = ? AND revoked_at IS NULL').run(now.toISOString(), service).changes;
      const leasesRevoked = this.store.stmt('UPDATE leases SET revoked_at = ? WHERE service = ? AND revoked_at IS NULL').run(now.getTime(), service).changes;
      // A service known only from envelope files has no row: a revoked one (no usable token) keeps it out.
      this.store.stmt("INSERT OR IGNORE INTO services (id, token_hash, paths, created_at, revoked_at) VALUES (?, ?, '[]', ?, ?)")
        .run(service, `revoked:${randomBytes(16).toString('hex')}`, now.toISOString(), now.toISOString());
      return { revoked: tokenRevoked || sessionsRevoked > 0, leasesRevoked, sessionsRevoked };
    }).immediate();
    this.audit({ action: 'revoke-service', outcome: out.revoked ? 'ok' : 'not-found', actor, reason: `${service}: ${out.sessionsRevoked} session(s), ${out.leasesRevoked} lease(s) revoked` });
    return out;
  }

  /** The service a token belongs to (its own token or a live sidecar session's), or undefined (unknown or revoked). */
  authenticate(token: string | undefined): string | undefined {
    return this.caller(token)?.service;
  }

  private caller(token: string | undefined): Caller | undefined {
    if (!token) return undefined;
    const hash = hashToken(token);
    const own = this.store.stmt('SELECT id FROM services WHERE token_hash = ? AND revoked_at IS NULL').get(hash) as { id: string } | undefined;
    if (own) return { service: own.id };
    // A session lives only while its service is not revoked.
    const s = this.store.stmt(`SELECT s.id AS id, s.service AS service, s.paths AS paths FROM sessions s
      WHERE s.token_hash = ? AND s.revoked_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM services v WHERE v.id = s.service AND v.revoked_at IS NOT NULL)`).get(hash) as { id: string; service: string; paths: string } | undefined;
    return s ? { service: s.service, session: s.id, sessionPaths: s.paths } : undefined;
  }

  private patterns(json: string): RegExp[] {
    let res = this.grantCache.get(json);
    if (!res) {
      res = (JSON.parse(json) as string[]).map((g) => new RegExp(globToRegexSource(g)));
      if (this.grantCache.size > 256) this.grantCache.clear();
      this.grantCache.set(json, res);
    }
    return res;
  }

  /** The service's own grant (read afresh, so `grant` and `revoke` apply at once), plus a session's patterns. */
  private granted(caller: Caller, path: string): boolean {
    const row = this.store.stmt('SELECT paths FROM services WHERE id = ? AND revoked_at IS NULL').get(caller.service) as { paths: string } | undefined;
    const lists = [row?.paths, caller.sessionPaths].filter((l): l is string => l !== undefined);
    return lists.some((l) => this.patterns(l).some((r) => r.test(path)));
  }

  private requireService(token: string | undefined, action: VaultAuditAction, path?: string, leaseId?: string): Caller {
    const caller = this.caller(token);
    if (!caller) {
      this.audit({ action, outcome: 'denied', actor: 'unknown', ...(path ? { path } : {}), ...(leaseId ? { leaseId } : {}), reason: 'unauthenticated' });
      throw new VaultAccessError('unauthenticated', 'missing, unknown or revoked service token');
    }
    return caller;
  }

  // ---- sidecar sessions ----

  /**
   * A sidecar (`esq wrap`) asks for access on its service's behalf: a token of its own, good for
   * the service's grant plus `paths` (the envelope file's `secrets.allow`), until `closeSession`
   * or until the service is revoked. Refused for a revoked service. Sessions that a crashed
   * sidecar on this host left open are closed first.
   */
  openSession(service: string, paths: readonly string[], opts: { actor?: string; holder?: string } = {}): VaultSession {
    checkService(service);
    const grants = checkGrants(paths, true);
    const actor = opts.actor ?? 'wrap';
    const holder = opts.holder ?? currentHolder();
    const revoked = this.store.stmt('SELECT 1 FROM services WHERE id = ? AND revoked_at IS NOT NULL').get(service) !== undefined;
    if (revoked) {
      this.audit({ action: 'open-session', outcome: 'denied', actor, reason: `${service} is revoked` });
      throw new VaultAccessError('forbidden', `service ${service} was revoked in the vault; restore it with: esq vault grant ${service} --paths <patterns>`);
    }
    this.closeAbandonedSessions(service, actor);
    const id = `sess_${randomBytes(12).toString('base64url')}`;
    const token = `esqv_${service}_${randomBytes(32).toString('base64url')}`;
    this.store.stmt('INSERT INTO sessions (id, service, token_hash, paths, holder, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, NULL)')
      .run(id, service, hashToken(token), JSON.stringify(grants), holder, this.clock().toISOString());
    this.audit({ action: 'open-session', outcome: 'ok', actor, session: id, reason: `${service}: ${grants.length ? grants.join(', ') : 'its own grant only'}` });
    return { id, service, token, paths: grants };
  }

  /** Ends a session: its token stops working and every lease read under it is revoked. */
  closeSession(id: string, actor = 'wrap'): { closed: boolean; leasesRevoked: number } {
    const now = this.clock();
    const row = this.store.stmt('SELECT * FROM sessions WHERE id = ?').get(id) as SessionRow | undefined;
    const out = this.store.db.transaction(() => {
      const closed = this.store.stmt('UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now.toISOString(), id).changes > 0;
      const leasesRevoked = this.store.stmt('UPDATE leases SET revoked_at = ? WHERE session = ? AND revoked_at IS NULL').run(now.getTime(), id).changes;
      return { closed, leasesRevoked };
    }).immediate();
    this.audit({ action: 'close-session', outcome: out.closed ? 'ok' : 'not-found', actor, session: id, reason: `${row?.service ?? 'unknown'}: ${out.leasesRevoked} lease(s) revoked` });
    return out;
  }

  /** Live sessions, newest last (tokens never included). */
  sessions(filter: { service?: string } = {}): Array<{ id: string; service: string; paths: string[]; holder: string; createdAt: string }> {
    return (this.store.stmt('SELECT * FROM sessions WHERE revoked_at IS NULL ORDER BY created_at').all() as SessionRow[])
      .filter((r) => filter.service === undefined || r.service === filter.service)
      .map((r) => ({ id: r.id, service: r.service, paths: JSON.parse(r.paths) as string[], holder: r.holder, createdAt: r.created_at }));
  }

  private closeAbandonedSessions(service: string, actor: string): void {
    for (const s of this.sessions({ service })) if (holderGone(s.holder)) this.closeSession(s.id, actor);
  }

  // ---- reads and leases (service side) ----

  /** A service reads a secret it was granted; issues a lease. The caller zeroes `value`. */
  async read(token: string | undefined, path: string, opts: { ttlMs?: number } = {}): Promise<LeasedValue> {
    const caller = this.requireService(token, 'read', path);
    const { service } = caller;
    const via = caller.session ? { session: caller.session } : {};
    checkSecretPath(path);
    if (!this.granted(caller, path)) {
      this.audit({ action: 'read', outcome: 'denied', actor: service, path, ...via, reason: 'path not granted' });
      throw new VaultAccessError('forbidden', `service ${service} is not granted ${path}`);
    }
    const row = this.store.getSecret(path);
    if (!row) {
      this.audit({ action: 'read', outcome: 'not-found', actor: service, path, ...via });
      throw new VaultAccessError('not-found', `no secret at ${path}`);
    }
    let value: Buffer;
    try {
      value = await this.decryptRow(row);
    } catch (e) {
      this.audit({ action: 'read', outcome: 'error', actor: service, path, ...via, reason: (e as Error).message });
      throw e;
    }
    const lease = this.issueLease(caller, path, opts.ttlMs);
    this.audit({ action: 'read', outcome: 'ok', actor: service, path, leaseId: lease.id, ...via, version: row.version });
    return { value, version: row.version, lease };
  }

  private issueLease(caller: Caller, path: string, ttlMs?: number): LeaseInfo {
    const now = this.clock().getTime();
    const ttl = this.clampTtl(ttlMs);
    const row: LeaseRow = {
      id: `lease_${randomBytes(16).toString('base64url')}`, service: caller.service, path, issued_at: now, expires_at: now + ttl, max_expires_at: now + this.maxLeaseTtlMs, revoked_at: null,
      session: caller.session ?? null,
    };
    this.store.stmt('INSERT INTO leases (id, service, path, issued_at, expires_at, max_expires_at, revoked_at, session) VALUES (@id, @service, @path, @issued_at, @expires_at, @max_expires_at, NULL, @session)').run(row);
    // Now and then, forget leases that ended over a day ago, so the table does not grow without bound.
    if (++this.issued % 256 === 1) this.store.stmt('DELETE FROM leases WHERE expires_at < ?').run(now - 86_400_000);
    return this.leaseInfo(row);
  }

  private clampTtl(ttlMs?: number): number {
    if (ttlMs === undefined) return Math.min(this.leaseTtlMs, this.maxLeaseTtlMs);
    if (!Number.isFinite(ttlMs) || ttlMs < 1000) throw new InvalidInputError('lease TTL must be at least 1 second');
    return Math.min(ttlMs, this.maxLeaseTtlMs);
  }

  private leaseInfo(r: LeaseRow): LeaseInfo {
    const now = this.clock().getTime();
    return {
      id: r.id, service: r.service, path: r.path,
      issuedAt: new Date(r.issued_at).toISOString(), expiresAt: new Date(r.expires_at).toISOString(), maxExpiresAt: new Date(r.max_expires_at).toISOString(),
      ttlSeconds: Math.max(0, Math.floor((r.expires_at - now) / 1000)), revoked: r.revoked_at !== null,
    };
  }

  /** The caller's own, live lease; otherwise an audited refusal. */
  private liveLease(service: string, leaseId: string, action: VaultAuditAction): LeaseRow {
    const row = this.store.stmt('SELECT * FROM leases WHERE id = ?').get(leaseId) as LeaseRow | undefined;
    const why = !row || row.service !== service ? 'unknown lease' : row.revoked_at !== null ? 'lease revoked' : row.expires_at <= this.clock().getTime() ? 'lease expired' : undefined;
    if (why) {
      this.audit({ action, outcome: 'denied', actor: service, leaseId, ...(row && row.service === service ? { path: row.path } : {}), reason: why });
      throw new VaultAccessError('lease-invalid', why);
    }
    return row!;
  }

  /** Reads the leased secret again while the lease is live (no new lease). The caller zeroes `value`. */
  async readLease(token: string | undefined, leaseId: string): Promise<LeasedValue> {
    const caller = this.requireService(token, 'lease-read', undefined, leaseId);
    const { service } = caller;
    const lease = this.liveLease(service, leaseId, 'lease-read');
    if (!this.granted(caller, lease.path)) {
      this.audit({ action: 'lease-read', outcome: 'denied', actor: service, path: lease.path, leaseId, reason: 'path no longer granted' });
      throw new VaultAccessError('forbidden', `service ${service} is no longer granted ${lease.path}`);
    }
    const row = this.store.getSecret(lease.path);
    if (!row) {
      this.audit({ action: 'lease-read', outcome: 'not-found', actor: service, path: lease.path, leaseId });
      throw new VaultAccessError('not-found', `no secret at ${lease.path}`);
    }
    const value = await this.decryptRow(row);
    this.audit({ action: 'lease-read', outcome: 'ok', actor: service, path: lease.path, leaseId, version: row.version });
    return { value, version: row.version, lease: this.leaseInfo(lease) };
  }

  /** Extends a live lease by its TTL (or `ttlMs`), never beyond its maximum. */
  renew(token: string | undefined, leaseId: string, ttlMs?: number): LeaseInfo {
    const { service } = this.requireService(token, 'renew', undefined, leaseId);
    const lease = this.liveLease(service, leaseId, 'renew');
    const expires = Math.min(this.clock().getTime() + this.clampTtl(ttlMs), lease.max_expires_at);
    this.store.stmt('UPDATE leases SET expires_at = ? WHERE id = ? AND revoked_at IS NULL').run(expires, leaseId);
    this.audit({ action: 'renew', outcome: 'ok', actor: service, path: lease.path, leaseId });
    return this.leaseInfo({ ...lease, expires_at: expires });
  }

  /** Revokes a lease: with a token, only the owner's own; without (operator), any. */
  revokeLease(leaseId: string, token?: string, actor = 'cli'): boolean {
    const service = token === undefined ? undefined : this.requireService(token, 'revoke-lease', undefined, leaseId).service;
    const sql = service ? 'UPDATE leases SET revoked_at = ? WHERE id = ? AND service = ? AND revoked_at IS NULL' : 'UPDATE leases SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL';
    const args: unknown[] = service ? [this.clock().getTime(), leaseId, service] : [this.clock().getTime(), leaseId];
    const ok = this.store.stmt(sql).run(...args).changes > 0;
    this.audit({ action: 'revoke-lease', outcome: ok ? 'ok' : 'not-found', actor: service ?? actor, leaseId });
    return ok;
  }

  leases(filter: { service?: string; activeOnly?: boolean } = {}): LeaseInfo[] {
    const rows = this.store.stmt('SELECT * FROM leases ORDER BY issued_at').all() as LeaseRow[];
    const now = this.clock().getTime();
    return rows
      .filter((r) => (filter.service === undefined || r.service === filter.service) && (!filter.activeOnly || (r.revoked_at === null && r.expires_at > now)))
      .map((r) => this.leaseInfo(r));
  }

  // ---- keys ----

  /** New KEK version for a classification, then every secret under it re-wrapped (data ciphertext untouched). */
  async rotate(classification: string, actor = 'cli'): Promise<{ version: number; rewrapped: number }> {
    const cls = checkClassification(classification);
    const version = await this.crypto.keyring.rotate(cls);
    const rewrapped = await this.rewrapAll(cls);
    this.audit({ action: 'rotate', outcome: 'ok', actor, reason: `${cls} → v${version}, ${rewrapped} secret(s) re-wrapped` });
    return { version, rewrapped };
  }

  /** Re-wraps every secret of a class not yet under its current KEK. */
  async rewrapAll(classification: string): Promise<number> {
    const rows = this.store.stmt('SELECT * FROM secrets WHERE classification = ?').all(classification) as SecretRow[];
    let n = 0;
    for (const row of rows) {
      const sealed = checkSealed(JSON.parse(row.sealed));
      const next = await this.crypto.rewrap(sealed, contextFor(row));
      if (next === sealed) continue;
      // Only if the row is unchanged since we read it; a concurrent put already used the current KEK.
      n += this.store.stmt('UPDATE secrets SET sealed = ?, kek_version = ? WHERE path = ? AND version = ? AND sealed = ?')
        .run(JSON.stringify(next), next.kek, row.path, row.version, row.sealed).changes;
    }
    return n;
  }

  /** Retires an old KEK version; refused while any secret still uses it. */
  async retire(classification: string, version: number, actor = 'cli'): Promise<void> {
    const cls = checkClassification(classification);
    try {
      await this.crypto.keyring.retire(cls, version, (c, v) => this.store.secretsUsing(c, v));
    } catch (e) {
      this.audit({ action: 'retire', outcome: 'denied', actor, reason: (e as Error).message });
      throw e;
    }
    this.audit({ action: 'retire', outcome: 'ok', actor, reason: `${cls} v${version}` });
  }

  close(): void {
    this.store.close();
    this.closeCrypto();
  }
}
