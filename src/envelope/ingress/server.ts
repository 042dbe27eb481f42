/**
 * The mTLS ingress: a TLS 1.3 listener that demands a client certificate from the trust bundle,
 * then, per request: identity (one SPIFFE URI SAN, not revoked) → allowedCallers → the one-time
 * token when required → the policy engine → the upstream, with identity headers the caller sent
 * replaced by the one the sidecar verified. Every refusal is counted and audited; the upstream
 * never sees a request that did not pass all of it.
 */
import { createServer, type Server } from 'node:tls';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { Action, Decision } from '../../engine/types.js';
import { endpointLabel, type Endpoint } from '../config/endpoint.js';
import { listenOrExplain } from './listen.js';
import type { WorkloadCredentials } from '../pki/ca.js';
import type { RevocationChecker } from '../pki/revocation.js';
import { ZT_HEADER } from '../tokens/claims.js';
import type { ReplayCache } from '../tokens/replay-cache.js';
import { verifyZeroTrustToken, ZeroTrustTokenError } from '../tokens/verify.js';
import { BodyCapture } from '../mirror/capture.js';
import type { MirrorEvent, MirrorTap } from '../mirror/types.js';
import { IngressRequest, IngressResponse, serveHttp1 } from './http1/connection.js';
import { createForwarder, type ForwardOutcome, type ForwardTap } from './forward.js';
import { forwardHeaders, XFCC, xfccValue } from './headers.js';
import { handshakeFailure, peerIdentity, type PeerIdentity } from './identity.js';
import { IngressStats } from './stats.js';
import { normalizeTarget, type NormalTarget, type Target } from './target.js';
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
  /** Traffic mirroring (IDS plug-ins): every exchange and refusal is offered, off the request path. */
  mirror?: MirrorTap;
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

/** What a verified connection carries into each of its requests: worked out once, at the handshake. */
interface Caller {
  id: PeerIdentity;
  remote: string | undefined;
  /** The identity and origin headers every request on this connection gets, as a flat `[name, value, …]` list. */
  added: string[];
  /** The sidecar credentials `added` names (XFCC `By=`): recomputed after a rotation. */
  addedWith: WorkloadCredentials;
}

/** A request that got past the checks before the policy. */
interface Admitted {
  req: IngressRequest;
  res: IngressResponse;
  caller: Caller;
  method: string;
  target: NormalTarget;
}

const isPromise = <T>(x: T | Promise<T>): x is Promise<T> => typeof (x as { then?: unknown } | null)?.then === 'function';

export async function startIngress(o: IngressOptions): Promise<Ingress> {
  const clock = o.clock ?? (() => new Date());
  const stats = new IngressStats(o.keepDenials);
  const connections = new WeakMap<TLSSocket, Caller>();
  const counters = stats.counters;
  const forwarded = (outcome: ForwardOutcome) => {
    if (outcome === 'ok') counters.forwarded++;
    else counters.upstreamErrors++;
  };
  const forwarder = createForwarder(o.upstream, o.upstreamConnections ? { connections: o.upstreamConnections } : {});
  const callers = typeof o.allowedCallers === 'function' ? o.allowedCallers : () => o.allowedCallers as readonly string[];
  let creds = o.credentials;

  const deny = (d: Omit<IngressDenial, 'time'>) => {
    const full: IngressDenial = { time: clock().toISOString(), ...d };
    stats.denied(full);
    if (o.mirror) {
      const e: MirrorEvent = { time: full.time, direction: 'ingress', kind: 'http', host: o.service, durationMs: 0, blocked: d.stage };
      if (d.method) e.method = d.method;
      if (d.path) e.path = d.path;
      if (d.spiffeId) e.caller = d.spiffeId;
      o.mirror.offer(e);
    }
    try {
      o.audit?.(full);
    } catch {
      // an audit sink that throws must not turn a refusal into a crash
    }
  };

  const addedHeaders = (id: PeerIdentity, remote: string | undefined): string[] => [
    XFCC,
    xfccValue(creds.spiffeId, id.certSha256, id.spiffeId),
    'x-forwarded-proto',
    'https',
    ...(remote ? ['x-forwarded-for', remote] : []),
  ];

  const server: Server = createServer({
    cert: creds.chainPem,
    key: creds.keyPem,
    ca: creds.bundlePem,
    requestCert: true,
    rejectUnauthorized: true,
    minVersion: TLS_MIN,
  });

  // Refused handshakes (no certificate, unknown CA, expired…): Node has already cut the connection;
  // the socket still says why.
  server.on('tlsClientError', (err: Error & { code?: string }, socket: TLSSocket) => {
    deny({ stage: 'tls', reason: handshakeFailure(err, socket), ...(socket?.remoteAddress ? { remote: socket.remoteAddress } : {}) });
  });

  // Runs before the HTTP parser sees a byte: a certificate that is not a valid workload identity
  // ends the connection here. The certificate cannot change within a connection, so what it
  // proves is checked once, here, and kept for the connection's requests.
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
    counters.connections++;
    connections.set(socket, { id, remote, added: addedHeaders(id, remote), addedWith: creds });
  });

  const refuse = (res: IngressResponse, status: number, stage: DenialStage, reason: string, extra: Record<string, string> = {}) => {
    const body = JSON.stringify({ error: status === 401 ? 'unauthenticated' : status === 400 ? 'bad request' : 'forbidden', stage, reason, ...extra });
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
  };

  /** Who and what, for the audit record of a refusal (only built for one). */
  const where = (req: IngressRequest, t: Target, caller: Caller | undefined) => {
    const path = 'path' in t ? t.path : req.url.split('?', 1)[0]!;
    const remote = req.socket.remoteAddress;
    return { method: req.method, path, ...(caller ? { spiffeId: caller.id.spiffeId, serial: caller.id.serial } : {}), ...(remote ? { remote } : {}) };
  };

  /** Everything up to the policy, synchronous unless a one-time token must be verified. */
  function handle(req: IngressRequest, res: IngressResponse): void {
    counters.requests++;
    const socket = req.socket;
    const caller = connections.get(socket);
    const target = req.url;
    const t = normalizeTarget(target);
    if (!caller) {
      deny({ stage: 'identity', reason: 'no verified workload identity on this connection', ...where(req, t, caller) });
      socket.destroy();
      return;
    }
    const id = caller.id;
    // Revocation can land while a kept-alive connection is open: check per request too.
    if (o.revocation?.isRevoked(id.serial)) {
      deny({ stage: 'revoked', reason: 'client certificate revoked', ...where(req, t, caller) });
      socket.destroy();
      return;
    }
    const cordon = o.cordoned?.();
    if (cordon !== undefined) {
      // Quarantined: authenticated callers learn why; the service itself sees nothing.
      deny({ stage: 'quarantine', reason: cordon, ...where(req, t, caller) });
      const body = JSON.stringify({ error: 'cordoned', service: o.service, reason: cordon });
      res.writeHead(503, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'retry-after': '300' }).end(body);
      return;
    }
    if ('invalid' in t) {
      deny({ stage: 'policy', reason: t.invalid, ...where(req, t, caller) });
      refuse(res, 400, 'policy', t.invalid);
      return;
    }
    if (!callers().includes(id.spiffeId)) {
      deny({ stage: 'caller', reason: 'caller not in allowedCallers', ...where(req, t, caller) });
      refuse(res, 403, 'caller', `${id.spiffeId} is not an allowed caller`);
      return;
    }
    const a: Admitted = { req, res, caller, method: req.method, target: t };
    if (!o.tokens) return decideThenForward(a);
    const tokens = o.tokens;
    const token = req.header(ZT_HEADER);
    verifyZeroTrustToken(token, {
      key: id.publicKey,
      audiences: tokens.audiences,
      method: a.method,
      path: target, // what the caller signed, before normalisation
      expectedSubject: id.spiffeId,
      replay: tokens.replay,
      clock,
    }).then(
      () => decideThenForward(a),
      (e: unknown) => {
        const reason = e instanceof ZeroTrustTokenError ? e.message : `token check failed: ${(e as Error).message}`;
        deny({ stage: 'token', reason, ...where(req, t, caller) });
        refuse(res, 401, 'token', reason);
      },
    ).catch((e: unknown) => failed(res, e));
  }

  /** The policy decides; a synchronous engine (the Governor) is not made to wait a turn. */
  function decideThenForward(a: Admitted): void {
    const id = a.caller.id;
    const action: Action = { name: 'ingress.request', args: { method: a.method, path: a.target.path }, principal: { id: id.spiffeId, service: id.spiffeId }, dest: o.service };
    let d: Decision | Promise<Decision>;
    try {
      d = o.decide(action);
    } catch (e) {
      return policyUnavailable(a, e);
    }
    if (!isPromise(d)) return decided(a, d);
    d.then(
      (x) => decided(a, x),
      (e: unknown) => policyUnavailable(a, e),
    ).catch((e: unknown) => failed(a.res, e));
  }

  function policyUnavailable(a: Admitted, e: unknown): void {
    // No answer from the engine is not a yes.
    deny({ stage: 'policy', reason: `policy engine error: ${(e as Error).message}`, ...where(a.req, a.target, a.caller) });
    refuse(a.res, 503, 'policy', 'policy engine unavailable');
  }

  function decided(a: Admitted, d: Decision): void {
    if (!d.allow) {
      const extra: Record<string, string> = {};
      if (d.ruleId) extra.ruleId = d.ruleId;
      if (d.incidentId) extra.incidentId = d.incidentId;
      deny({ stage: 'policy', reason: d.reason, ...where(a.req, a.target, a.caller), ...extra });
      refuse(a.res, 403, 'policy', d.reason, extra);
      return;
    }
    const c = a.caller;
    if (c.addedWith !== creds) {
      c.added = addedHeaders(c.id, c.remote);
      c.addedWith = creds;
    }
    const head = forwardHeaders(a.req.rawHeaders, c.added);
    if (!o.mirror) return forwarder.forward(a.req, a.res, a.target.forward, head.headers, head.hasBody, forwarded);
    const tap = mirrorTap(o.mirror, a, head.headers, head.hasBody);
    forwarder.forward(a.req, a.res, a.target.forward, head.headers, head.hasBody, (outcome) => {
      forwarded(outcome);
      tap.finish(outcome);
    }, tap);
  }

  /** A copy of one forwarded exchange for the mirror: metadata, headers as forwarded, bodies up to the limit. */
  function mirrorTap(m: MirrorTap, a: Admitted, headers: string[], hasBody: boolean): ForwardTap & { finish(outcome: ForwardOutcome): void } {
    const started = Date.now();
    const time = clock().toISOString();
    const reqBody = m.bodyLimit > 0 && hasBody ? new BodyCapture(m.bodyLimit) : undefined;
    const resBody = m.bodyLimit > 0 ? new BodyCapture(m.bodyLimit) : undefined;
    // A second 'data' listener only copies: the forwarder's own listener keeps the flow and backpressure.
    if (reqBody) a.req.body?.on('data', (c: Buffer) => reqBody.add(c));
    let responseHeaders: string[] = [];
    return {
      head: (_status, h) => {
        responseHeaders = h;
      },
      data: resBody ? (c) => resBody.add(c) : undefined,
      finish(outcome) {
        const e: MirrorEvent = {
          time,
          direction: 'ingress',
          kind: 'http',
          method: a.method,
          host: o.service,
          path: a.target.path,
          status: outcome === 'ok' ? a.res.statusCode : 502,
          durationMs: Date.now() - started,
          caller: a.caller.id.spiffeId,
          requestHeaders: pairs(headers),
          responseHeaders: pairs(responseHeaders),
        };
        const rq = reqBody?.body();
        if (rq) e.requestBody = rq;
        const rs = resBody?.body();
        if (rs) e.responseBody = rs;
        m.offer(e);
      },
    };
  }

  /** A bug on our side: the caller gets a bare 500 (or a cut stream), never the upstream. */
  function failed(res: IngressResponse, _e: unknown): void {
    if (!res.headersSent) res.writeHead(500).end();
    else res.destroy();
  }

  const open = serveHttp1(
    server,
    (req, res) => {
      try {
        handle(req, res);
      } catch (e) {
        failed(res, e);
      }
    },
    { headTimeoutMs: 30_000 },
  );

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
        for (const s of open) s.destroy();
      });
      await forwarder.close();
    },
  };
}

/** A flat `[name, value, …]` header list as an object (repeated names become arrays). */
function pairs(flat: string[]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const k = flat[i]!.toLowerCase();
    const v = flat[i + 1]!;
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}
