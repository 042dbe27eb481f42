/**
 * The SDK side of the vault: what a wrapped service calls.
 *
 *   import { envelope } from 'esq';
 *   const token = await envelope.vault.read('banking/apiToken');   // a string (cannot be wiped)
 *   const s = await envelope.vault.lease('banking/apiToken');      // a Buffer + lease
 *   try { use(s.value) } finally { s.dispose() }                     // zeroes the Buffer
 *
 * `envelope.vault` is configured by `esq wrap` through the environment: ESQ_VAULT_URL
 * (http://127.0.0.1:<port>) or ESQ_VAULT_SOCKET (a unix socket path), and ESQ_VAULT_TOKEN. Where
 * the sidecar is another container (`esq wrap --emit k8s`), the token is a file it writes on a
 * shared volume instead: ESQ_VAULT_TOKEN_FILE, read at each call, so a restarted sidecar's new
 * session is picked up.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { ConfigError } from '../../errors.js';
import { VaultAccessError, type LeaseInfo, type VaultAccessKind } from './vault.js';

export interface VaultClientOptions {
  /** `http://127.0.0.1:<port>` (loopback only). */
  url?: string;
  socketPath?: string;
  /** The session token, or where to read it when it is needed (a file the sidecar keeps current). */
  token: string | (() => string);
  timeoutMs?: number;
}

export interface LeasedSecret {
  /** The plaintext; call `dispose()` to zero it. */
  readonly value: Buffer;
  readonly lease: LeaseInfo;
  renew(ttlSeconds?: number): Promise<LeaseInfo>;
  /** Reads the value again under this lease (fails once the lease is revoked or expired). */
  reread(): Promise<Buffer>;
  /** Revokes the lease and zeroes the value. */
  revoke(): Promise<void>;
  dispose(): void;
}

export interface VaultClient {
  /** The value as a UTF-8 string. Strings are immutable in JavaScript and cannot be zeroed; prefer `lease`. */
  read(path: string): Promise<string>;
  lease(path: string, ttlSeconds?: number): Promise<LeasedSecret>;
  renew(leaseId: string, ttlSeconds?: number): Promise<LeaseInfo>;
  revoke(leaseId: string): Promise<void>;
}

const KIND_BY_STATUS: Record<number, VaultAccessKind> = { 401: 'unauthenticated', 403: 'forbidden', 404: 'not-found', 410: 'lease-invalid' };

interface RawReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function leaseFromHeaders(h: RawReply['headers']): LeaseInfo {
  const get = (k: string): string => String(h[k] ?? '');
  return {
    id: get('esq-lease-id'), path: get('esq-secret-path'), service: '', issuedAt: '', expiresAt: get('esq-lease-expires'),
    maxExpiresAt: get('esq-lease-max-expires'), ttlSeconds: Number(get('esq-lease-ttl')), revoked: false,
  };
}

export function createVaultClient(opts: VaultClientOptions): VaultClient {
  if (!opts.token) throw new ConfigError('vault client needs a service token (ESQ_VAULT_TOKEN or ESQ_VAULT_TOKEN_FILE)');
  const token = typeof opts.token === 'function' ? opts.token : () => opts.token as string;
  let base: URL | undefined;
  if (!opts.socketPath) {
    if (!opts.url) throw new ConfigError('vault client needs ESQ_VAULT_URL or ESQ_VAULT_SOCKET');
    base = new URL(opts.url);
    if (base.protocol !== 'http:' || !['127.0.0.1', '[::1]', 'localhost'].includes(base.hostname)) {
      throw new ConfigError(`vault URL must be http:// on loopback (the token must not leave the host), not ${opts.url}`);
    }
  }
  const timeoutMs = opts.timeoutMs ?? 10_000;

  function call(method: string, path: string): Promise<RawReply> {
    return new Promise((resolve, reject) => {
      const req = request(
        {
          method, path, timeout: timeoutMs,
          headers: { authorization: `Bearer ${token()}` },
          ...(opts.socketPath ? { socketPath: opts.socketPath } : { host: base!.hostname.replace(/^\[|\]$/g, ''), port: Number(base!.port || 80) }),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
            if (chunks.length > 1) chunks.forEach((c) => c.fill(0)); // the pieces of a secret
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`vault did not answer within ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end();
    });
  }

  function fail(r: RawReply): never {
    let message = `vault answered ${r.status}`;
    try {
      message = (JSON.parse(r.body.toString('utf8')) as { error: { message: string } }).error.message;
    } catch {
      /* keep the status */
    }
    throw new VaultAccessError(KIND_BY_STATUS[r.status] ?? 'forbidden', message);
  }

  const encode = (path: string): string => path.split('/').map(encodeURIComponent).join('/');
  const q = (ttlSeconds?: number): string => (ttlSeconds === undefined ? '' : `?ttl=${Math.floor(ttlSeconds)}`);

  const client: VaultClient = {
    async read(path) {
      const s = await client.lease(path);
      try {
        return s.value.toString('utf8');
      } finally {
        s.dispose();
      }
    },
    async lease(path, ttlSeconds) {
      const r = await call('GET', `/v1/vault/${encode(path)}${q(ttlSeconds)}`);
      if (r.status !== 200) fail(r);
      const lease = leaseFromHeaders(r.headers);
      const value = r.body;
      return {
        value, lease,
        renew: (t) => client.renew(lease.id, t),
        async reread() {
          const again = await call('GET', `/v1/leases/${lease.id}`);
          if (again.status !== 200) fail(again);
          return again.body;
        },
        async revoke() {
          value.fill(0);
          await client.revoke(lease.id);
        },
        dispose: () => void value.fill(0),
      };
    },
    async renew(leaseId, ttlSeconds) {
      const r = await call('POST', `/v1/leases/${encodeURIComponent(leaseId)}/renew${q(ttlSeconds)}`);
      if (r.status !== 200) fail(r);
      return (JSON.parse(r.body.toString('utf8')) as { lease: LeaseInfo }).lease;
    },
    async revoke(leaseId) {
      const r = await call('DELETE', `/v1/leases/${encodeURIComponent(leaseId)}`);
      if (r.status !== 204) fail(r);
    },
  };
  return client;
}

function readTokenFile(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (e) {
    throw new ConfigError(`cannot read the vault token from ESQ_VAULT_TOKEN_FILE=${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message} (is the sidecar up, and does this process share its group?)`);
  }
}

/** A client configured from ESQ_VAULT_URL / ESQ_VAULT_SOCKET and ESQ_VAULT_TOKEN (or ESQ_VAULT_TOKEN_FILE). */
export function vaultClientFromEnv(env: NodeJS.ProcessEnv = process.env): VaultClient {
  const file = env.ESQ_VAULT_TOKEN_FILE;
  const token = env.ESQ_VAULT_TOKEN ?? (file ? () => readTokenFile(file) : '');
  if (env.ESQ_VAULT_SOCKET) return createVaultClient({ socketPath: env.ESQ_VAULT_SOCKET, token });
  return createVaultClient({ url: env.ESQ_VAULT_URL ?? '', token });
}

let defaultClient: VaultClient | undefined;
const lazy = (): VaultClient => (defaultClient ??= vaultClientFromEnv());

/** The seed's `envelope.vault.read(path)`, backed by the sidecar the service was wrapped with. */
export const envelope = {
  vault: {
    read: (path: string): Promise<string> => lazy().read(path),
    lease: (path: string, ttlSeconds?: number): Promise<LeasedSecret> => lazy().lease(path, ttlSeconds),
  },
};
