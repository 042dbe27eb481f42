/**
 * The mTLS ingress: a TLS 1.3 listener that demands a client certificate from the trust bundle,
 * then, per request: identity (one SPIFFE URI SAN, not revoked) → allowedCallers → the one-time
 * token when required → the policy engine → the upstream, with identity headers the caller sent
 * replaced by the one the sidecar verified. Every refusal is counted and audited; the upstream
 * never sees a request that did not pass all of it.
 */
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { Action } from '../../engine/types.js';
import { endpointLabel, type Endpoint } from '../config/endpoint.js';
import { listenOrExplain } from './listen.js';
import type { WorkloadCredentials } from '../pki/ca.js';
import type { RevocationChecker } from '../pki/revocation.js';
import { ZT_HEADER } from '../tokens/claims.js';
import type { ReplayCache } from '../tokens/replay-cache.js';
import { verifyZeroTrustToken, ZeroTrustTokenError } from '../tokens/verify.js';
import { createForwarder } from './forward.js';
import { forwardHeaders, XFCC, xfccValue } from './headers.js';
import { handshakeFailure, peerIdentity, type PeerIdentity } from './identity.js';
import { IngressStats } from './stats.js';
import { normalizeTarget } from './target.js';
import type { DecideFn, DenialSink, DenialStage, IngressDenial } from './types.js';

export interface IngressOptions {
  /** The wrapped service's name: the `dest` of every action. */
  service: string;
  listen: { host: string; port: number };
  upstream: Endpoint;
  credentials: WorkloadCredentials;
  /** SPIFFE IDs allowed to call. Empty: nobody. A function is re-read per request (hot reload). */
  allowedCallers: readonly string[] | (() => readonly string[]);
  decide: DecideFn;
  audit?: DenialSink;
  revocation?: RevocationChecker;
  /** When set, every request must carry a valid one-time `X-ZT` token. */
  tokens?: { audiences: readonly string[]; replay: ReplayCache };
  clock?: () => Date;
  upstreamConnections?: number;
  /** How many recent denials to keep for status. */
  keepDenials?: number;
  /** The reason the service is cordoned (e.g. by the CVE scanner's quarantine), or undefined. */
  cordoned?: () => string | undefined;
}

/** What the ingress enforces, read from the live server, for `esq status`. */
export interface IngressPosture {
  listen: string;
  upstream: string;
  tls: { minVersion: string; clientCertificateRequired: boolean; unauthorizedRejected: boolean };
  certificate: { spiffeId: string; serial: string; notAfter: string; expiresInSeconds: number };
  allowedCallers: string[];
  tokensRequired: boolean;
  revocationChecked: boolean;
}

export interface Ingress {
  readonly url: string;
  readonly port: number;
  readonly stats: IngressStats;
  /** Swap in a rotated certificate; new handshakes use it at once. */
  setCredentials(creds: WorkloadCredentials): void;
  posture(): IngressPosture;
  close(): Promise<void>;
}

const TLS_MIN = 'TLSv1.3' as const;

export async function startIngress(o: IngressOptions): Promise<Ingress> {
  const clock = o.clock ?? (() => new Date());
  const stats = new IngressStats(o.keepDenials);
  const identities = new WeakMap<TLSSocket, PeerIdentity>();
  const forwarder = createForwarder(o.upstream, o.upstreamConnections ? { connections: o.upstreamConnections } : {});
  const callers = typeof o.allowedCallers === 'function' ? o.allowedCallers : () => o.allowedCallers as readonly string[];
  let creds = o.credentials;

  const deny = (d: Omit<IngressDenial, 'time'>) => {
    const full: IngressDenial = { time: clock().toISOString(), ...d };
    stats.denied(full);
    try {
      o.audit?.(full);
    } catch {
      // an audit sink that throws must not turn a refusal into a crash
    }
  };

  const server: Server = createServer({
    cert: creds.chainPem,
    key: creds.keyPem,
    ca: creds.bundlePem,
    requestCert: true,
    rejectUnauthorized: true,
    minVersion: TLS_MIN,
    keepAliveTimeout: 30_000,
  });

  // Refused handshakes (no certificate, unknown CA, expired…): Node has already cut the connection;
  // the socket still says why.
  server.on('tlsClientError', (err: Error & { code?: string }, socket: TLSSocket) => {
    deny({ stage: 'tls', reason: handshakeFailure(err, socket), ...(socket?.remoteAddress ? { remote: socket.remoteAddress } : {}) });
  });

  // Runs before the HTTP parser sees a byte: a certificate that is not a valid workload identity
  // ends the connection here.
  server.prependListener('secureConnection', (socket: TLSSocket) => {
    const id = peerIdentity(socket);
    const remote = socket.remoteAddress;
    if ('refused' in id) {
      deny({ stage: 'identity', reason: id.refused, ...(id.serial ? { serial: id.serial } : {}), ...(remote ? { remote } : {}) });
      socket.destroy();
      return;
    }
    // A resumed TLS session does not re-check dates; we do.
    if (id.notAfter.getTime() <= clock().getTime()) {
      deny({ stage: 'tls', reason: 'client certificate expired', spiffeId: id.spiffeId, serial: id.serial, ...(remote ? { remote } : {}) });
      socket.destroy();
      return;
    }
    if (o.revocation?.isRevoked(id.serial)) {
      deny({ stage: 'revoked', reason: 'client certificate revoked', spiffeId: id.spiffeId, serial: id.serial, ...(remote ? { remote } : {}) });
      socket.destroy();
      return;
    }
    stats.counters.connections++;
    identities.set(socket, id);
  });

  const refuse = (res: ServerResponse, status: number, stage: DenialStage, reason: string, extra: Record<string, string> = {}) => {
    const body = JSON.stringify({ error: status === 401 ? 'unauthenticated' : status === 400 ? 'bad request' : 'forbidden', stage, reason, ...extra });
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    stats.counters.requests++;
    const socket = req.socket as TLSSocket;
    const id = identities.get(socket);
    const method = req.method ?? 'GET';
    const target = req.url ?? '/';
    const t = normalizeTarget(target);
    const path = 'path' in t ? t.path : target.split('?', 1)[0]!;
    const remote = socket.remoteAddress;
    const who = id ? { spiffeId: id.spiffeId, serial: id.serial } : {};
    const base = { method, path, ...who, ...(remote ? { remote } : {}) };
    if (!id) {
      deny({ stage: 'identity', reason: 'no verified workload identity on this connection', ...base });
      socket.destroy();
      return;
    }
    // Revocation can land while a kept-alive connection is open: check per request too.
    if (o.revocation?.isRevoked(id.serial)) {
      deny({ stage: 'revoked', reason: 'client certificate revoked', ...base });
      socket.destroy();
      return;
    }
    const cordon = o.cordoned?.();
    if (cordon !== undefined) {
      // Quarantined: authenticated callers learn why; the service itself sees nothing.
      deny({ stage: 'quarantine', reason: cordon, ...base });
      const body = JSON.stringify({ error: 'cordoned', service: o.service, reason: cordon });
      res.writeHead(503, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'retry-after': '300' }).end(body);
      return;
    }
    if ('invalid' in t) {
      deny({ stage: 'policy', reason: t.invalid, ...base });
      refuse(res, 400, 'policy', t.invalid);
      return;
    }
    if (!callers().includes(id.spiffeId)) {
      deny({ stage: 'caller', reason: 'caller not in allowedCallers', ...base });
      refuse(res, 403, 'caller', `${id.spiffeId} is not an allowed caller`);
      return;
    }
    if (o.tokens) {
      const token = req.headers[ZT_HEADER];
      try {
        await verifyZeroTrustToken(Array.isArray(token) ? token[0] : token, {
          key: id.publicKey,
          audiences: o.tokens.audiences,
          method,
          path: target, // what the caller signed, before normalisation
          expectedSubject: id.spiffeId,
          replay: o.tokens.replay,
          clock,
        });
      } catch (e) {
        const reason = e instanceof ZeroTrustTokenError ? e.message : `token check failed: ${(e as Error).message}`;
        deny({ stage: 'token', reason, ...base });
        refuse(res, 401, 'token', reason);
        return;
      }
    }
    const action: Action = { name: 'ingress.request', args: { method, path }, principal: { id: id.spiffeId, service: id.spiffeId }, dest: o.service };
    let allowed: boolean;
    try {
      const d = await o.decide(action);
      allowed = d.allow;
      if (!allowed) {
        const extra: Record<string, string> = {};
        if (d.ruleId) extra.ruleId = d.ruleId;
        if (d.incidentId) extra.incidentId = d.incidentId;
        deny({ stage: 'policy', reason: d.reason, ...base, ...extra });
        refuse(res, 403, 'policy', d.reason, extra);
        return;
      }
    } catch (e) {
      // No answer from the engine is not a yes.
      deny({ stage: 'policy', reason: `policy engine error: ${(e as Error).message}`, ...base });
      refuse(res, 503, 'policy', 'policy engine unavailable');
      return;
    }
    const headers = forwardHeaders(req.rawHeaders, [
      [XFCC, xfccValue(creds.spiffeId, id.certSha256, id.spiffeId)],
      ['x-forwarded-proto', 'https'],
      ...(remote ? ([['x-forwarded-for', remote]] as const) : []),
    ]);
    const outcome = await forwarder.forward(req, res, t.forward, headers);
    if (outcome === 'ok') stats.counters.forwarded++;
    else stats.counters.upstreamErrors++;
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });

  await listenOrExplain(server, o.listen, 'the ingress', async () => {
    await forwarder.close();
  });
  const addr = server.address() as AddressInfo;
  const url = `https://${endpointLabel({ host: addr.address, port: addr.port })}`;

  return {
    url,
    port: addr.port,
    stats,
    setCredentials(next) {
      creds = next;
      server.setSecureContext({ cert: next.chainPem, key: next.keyPem, ca: next.bundlePem, minVersion: TLS_MIN });
    },
    posture() {
      const now = clock().getTime();
      // Read back from the live server, so status reports what is enforced, not what was meant.
      const s = server as unknown as { requestCert?: boolean; rejectUnauthorized?: boolean };
      return {
        listen: url,
        upstream: forwarder.target,
        tls: { minVersion: TLS_MIN, clientCertificateRequired: s.requestCert === true, unauthorizedRejected: s.rejectUnauthorized === true },
        certificate: { spiffeId: creds.spiffeId, serial: creds.serial, notAfter: creds.notAfter.toISOString(), expiresInSeconds: Math.round((creds.notAfter.getTime() - now) / 1000) },
        allowedCallers: [...callers()],
        tokensRequired: o.tokens !== undefined,
        revocationChecked: o.revocation !== undefined,
      };
    },
    async close() {
      await new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      });
      await forwarder.close();
    },
  };
}
