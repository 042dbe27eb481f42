/**
 * The vault's local API for the wrapped service, on a loopback port or a unix socket (0600):
 *
 *   GET    /v1/vault/{path}[?ttl=seconds]   the secret (raw bytes) and a new lease
 *   GET    /v1/leases/{id}                  the leased secret again, while the lease is live
 *   POST   /v1/leases/{id}/renew[?ttl=s]    extend the lease (JSON)
 *   DELETE /v1/leases/{id}                  revoke the lease (204)
 *
 * `Authorization: Bearer <service token>` on every call. A secret is sent as the raw body
 * (`application/octet-stream`), lease details in `esq-lease-*` headers, so the server never turns
 * the value into a string (which could not be wiped); the Buffer is zeroed once the response is done.
 * Errors: JSON `{ "error": { "code", "message" } }` with 400/401/403/404/410.
 */
import { chmodSync, unlinkSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { ConfigError, EsqError, InvalidInputError } from '../../errors.js';
import { parseBearer } from '../../server/auth/api-keys.js';
import { VaultAccessError, type LeaseInfo, type LeasedValue, type Vault } from './vault.js';

export interface VaultServerOptions {
  vault: Vault;
  /** Loopback host (127.0.0.1 default, or ::1); ignored with `socketPath`. */
  host?: string;
  port?: number;
  /** Listen on a unix socket instead of TCP (made 0600). */
  socketPath?: string;
  /** The socket's mode: 0o600 (the sidecar's user) unless a pod shares it with the service's group (0o660). */
  socketMode?: number;
}

export interface VaultServer {
  /** `http://127.0.0.1:<port>` for TCP; undefined for a unix socket. */
  url?: string;
  port?: number;
  socketPath?: string;
  close(): Promise<void>;
}

const STATUS: Record<string, number> = { unauthenticated: 401, forbidden: 403, 'not-found': 404, 'lease-invalid': 410 };

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}

function sendError(res: ServerResponse, e: unknown): void {
  if (e instanceof VaultAccessError) return sendJson(res, STATUS[e.kind] ?? 400, { error: { code: e.kind, message: e.message } });
  if (e instanceof EsqError) return sendJson(res, 400, { error: { code: e.code, message: e.message } });
  sendJson(res, 500, { error: { code: 'internal', message: 'internal error' } });
}

export function leaseHeaders(l: LeaseInfo, version: number): Record<string, string> {
  return { 'esq-lease-id': l.id, 'esq-lease-ttl': String(l.ttlSeconds), 'esq-lease-expires': l.expiresAt, 'esq-lease-max-expires': l.maxExpiresAt, 'esq-secret-version': String(version), 'esq-secret-path': l.path };
}

function sendSecret(res: ServerResponse, r: LeasedValue): void {
  // Zeroed when the response is over, delivered or not. Copies inside the socket layer and the
  // kernel are beyond reach.
  res.on('close', () => r.value.fill(0));
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': r.value.length, 'cache-control': 'no-store', ...leaseHeaders(r.lease, r.version) });
  res.end(r.value);
}

function ttlOf(url: URL): number | undefined {
  const t = url.searchParams.get('ttl');
  if (t === null) return undefined;
  if (!/^[0-9]{1,7}$/.test(t)) throw new InvalidInputError('ttl must be whole seconds');
  return Number(t) * 1000;
}

async function handle(vault: Vault, req: IncomingMessage, res: ServerResponse): Promise<void> {
  // Judged on the raw target, before URL parsing folds "%2e%2e" or ".." segments away: secret paths
  // never need escapes or dot segments, so refusing them keeps traversal tricks out entirely.
  const rawTarget = req.url ?? '/';
  const rawPath = rawTarget.split('?')[0]!;
  if (rawPath.includes('%') || /(^|\/)\.{1,2}(\/|$)/.test(rawPath) || rawPath.includes('\\')) {
    return sendJson(res, 400, { error: { code: 'bad-path', message: 'percent-encoding, dot segments and backslashes are not allowed in vault paths' } });
  }
  const url = new URL(rawTarget, 'http://vault.local');
  const raw = url.pathname;
  const token = parseBearer(req.headers.authorization);
  let m: RegExpExecArray | null;
  if (req.method === 'GET' && (m = /^\/v1\/vault\/(.+)$/.exec(raw))) {
    const ttlMs = ttlOf(url);
    return sendSecret(res, await vault.read(token, m[1]!, ttlMs === undefined ? {} : { ttlMs }));
  }
  if ((m = /^\/v1\/leases\/([A-Za-z0-9_-]+)(\/renew)?$/.exec(raw))) {
    const [, id, renew] = m;
    if (req.method === 'GET' && !renew) return sendSecret(res, await vault.readLease(token, id!));
    if (req.method === 'POST' && renew) return sendJson(res, 200, { lease: vault.renew(token, id!, ttlOf(url)) });
    if (req.method === 'DELETE' && !renew) {
      if (!vault.revokeLease(id!, token ?? '')) throw new VaultAccessError('lease-invalid', 'unknown or already revoked lease');
      res.writeHead(204, { 'cache-control': 'no-store' });
      return void res.end();
    }
  }
  sendJson(res, 404, { error: { code: 'no-route', message: `${req.method} ${raw} is not a vault API route` } });
}

export async function startVaultServer(opts: VaultServerOptions): Promise<VaultServer> {
  const host = opts.host ?? '127.0.0.1';
  if (!opts.socketPath && host !== '127.0.0.1' && host !== '::1') throw new ConfigError(`vault API must listen on loopback or a unix socket, not ${host}`);
  const server = createServer({ requestTimeout: 30_000, headersTimeout: 10_000 }, (req, res) => {
    req.resume(); // no route takes a body
    handle(opts.vault, req, res).catch((e) => sendError(res, e));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    if (opts.socketPath) {
      try {
        unlinkSync(opts.socketPath); // a stale socket from a crashed run
      } catch {
        /* none */
      }
      server.listen(opts.socketPath, () => resolve());
    } else {
      server.listen(opts.port ?? 0, host, () => resolve());
    }
  });
  if (opts.socketPath) chmodSync(opts.socketPath, opts.socketMode ?? 0o600);
  const port = opts.socketPath ? undefined : (server.address() as { port: number }).port;
  return {
    ...(port !== undefined ? { url: `http://${host === '::1' ? '[::1]' : host}:${port}`, port } : {}),
    ...(opts.socketPath ? { socketPath: opts.socketPath } : {}),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
