/**
 * The egress allow-list proxy: an HTTP forward proxy on loopback that a wrapped service reaches
 * through HTTP_PROXY / HTTPS_PROXY. Plain HTTP arrives in absolute form (`GET http://host/path`),
 * HTTPS as `CONNECT host:443`. Deny by default; every refusal goes to `onBlock` with its reason.
 *
 * Order for each request: strict parse of the target → allow-list → one DNS resolution with every
 * answer checked → the policy engine, when one is given (it can only narrow what the allow-list
 * allows) → (CONNECT) read the ClientHello and compare its SNI → only then dial, by address.
 * Nothing is dialled for a refused request: the injected `connector` is the only way out.
 *
 * Plain HTTP to a mesh peer (mesh.ts) then leaves as mTLS the sidecar originates, with a fresh
 * one-time X-ZT token; anything else leaves as the service sent it.
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect as netConnect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { ConfigError } from '../../errors.js';
import { BodyCapture } from '../mirror/capture.js';
import type { MirrorEvent, MirrorTap } from '../mirror/types.js';
import { compileAllowList, describeTarget, type AllowList, type AllowListInput } from './allow-list.js';
import { CLIENT_HELLO_MAX_BYTES, parseClientHello } from './client-hello.js';
import { ZT_HEADER } from '../tokens/claims.js';
import { endToEndHeaders } from './headers.js';
import { hostText, parseAuthority, parseHost, type HostRef } from './host.js';
import type { AddressClass } from './ip.js';
import { checkTarget, systemResolver, type BlockReason, type Resolver } from './policy.js';
import { askPolicy, type EgressPolicy, type EgressPolicyQuery } from './engine.js';
import { compileMesh, type Mesh, type MeshHop, type MeshOptions } from './mesh.js';
import { checkRedirect } from './redirect.js';

export interface EgressBlockEvent {
  time: string;
  kind: 'http' | 'connect';
  /** The client's address:port on loopback. */
  client: string;
  /** The target as requested (sanitised, at most 256 characters). */
  target: string;
  reason: BlockReason;
  detail: string;
  method?: string;
  /** The allow-list entry that matched, when the refusal came after matching (DNS, SNI, redirect). */
  entry?: string;
  addressClass?: AddressClass;
  sni?: string;
  /** The policy engine's rule, when it refused. */
  ruleId?: string;
  incidentId?: string;
}

export interface EgressAllowEvent {
  time: string;
  kind: 'http' | 'connect';
  client: string;
  target: string;
  /** The checked address that was dialled. */
  address: string;
  entry: string;
  /** Set when the sidecar originated mTLS and a token: the SPIFFE ID the peer was pinned to. */
  meshPeer?: string;
}

/** Opens the upstream TCP connection to an already-checked address. Default: net.connect. */
export type Connector = (opts: { host: string; port: number; family: 4 | 6 }) => Socket;

export interface EgressProxyOptions {
  allowList: AllowListInput | AllowList;
  resolver?: Resolver;
  connector?: Connector;
  onBlock?: (event: EgressBlockEvent) => void;
  onAllow?: (event: EgressAllowEvent) => void;
  mirror?: MirrorTap;
  /** Asked after the allow-list (and DNS) said yes; a refusal here wins (deny overrides). */
  policy?: EgressPolicy;
  /** Mesh-internal peers: plain HTTP to them leaves as mTLS with a one-time token. Default: none. */
  mesh?: MeshOptions | Mesh;
  /** How many recent refusals `recentBlocks` keeps. Default 50. */
  keepBlocks?: number;
  /** Loopback only: 127.0.0.1 (default) or ::1. */
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  dnsTimeoutMs?: number;
  /** How long a tunnel may take to send its ClientHello. Default 10 s. */
  helloTimeoutMs?: number;
  /** An idle tunnel or upstream connection is closed after this long. Default 5 min. */
  idleTimeoutMs?: number;
}

export interface EgressStats {
  requests: number;
  allowed: number;
  blocked: number;
  /** Upstream failures after a request was allowed. */
  errors: number;
  blockedByReason: Record<string, number>;
  activeTunnels: number;
}

export interface EgressProxy {
  url: string;
  port: number;
  /** Entries of the allow-list this proxy enforces. */
  readonly allowListSize: number;
  close(): Promise<void>;
  stats(): EgressStats;
  /** The latest refusals, newest first. */
  recentBlocks(limit?: number): EgressBlockEvent[];
}

/** HTTP status of a refusal: the engine being unreachable is not the client's fault, nor is DNS. */
function refusalStatus(reason: BlockReason): number {
  if (reason === 'dns-failed') return 502;
  if (reason === 'policy-error') return 503;
  return 403;
}

const STATUS_TEXT: Record<number, string> = { 403: 'Forbidden', 502: 'Bad Gateway', 503: 'Service Unavailable' };

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1']);

function sanitize(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f]/g, '?').slice(0, 256);
}

function clientOf(s: { remoteAddress?: string | undefined; remotePort?: number | undefined }): string {
  return `${s.remoteAddress ?? '?'}:${s.remotePort ?? '?'}`;
}

/** Host and port back out of a "host:port" target text (port absent when the target did not parse). */
function splitTarget(target: string): { host: string; port?: number } {
  const m = /^(.*):([0-9]{1,5})$/.exec(target);
  return m ? { host: m[1]!, port: Number(m[2]) } : { host: target };
}

function sameTarget(a: { host: HostRef; port: number }, b: { host: HostRef; port: number }): boolean {
  return a.port === b.port && hostText(a.host) === hostText(b.host);
}

export async function startEgressProxy(opts: EgressProxyOptions): Promise<EgressProxy> {
  const host = opts.host ?? '127.0.0.1';
  if (!LOOPBACK_HOSTS.has(host)) throw new ConfigError(`egress proxy must listen on loopback (127.0.0.1 or ::1), not ${host}`);
  const list: AllowList = Array.isArray(opts.allowList) ? compileAllowList(opts.allowList as AllowListInput) : (opts.allowList as AllowList);
  const resolver = opts.resolver ?? systemResolver;
  const connector: Connector = opts.connector ?? ((o) => netConnect({ host: o.host, port: o.port, family: o.family }));
  const dnsTimeoutMs = opts.dnsTimeoutMs ?? 5000;
  const helloTimeoutMs = opts.helloTimeoutMs ?? 10_000;
  const idleTimeoutMs = opts.idleTimeoutMs ?? 300_000;
  const mirror = opts.mirror;
  const bodyLimit = mirror?.bodyLimit ?? 0;
  const mesh: Mesh | undefined = opts.mesh && 'route' in opts.mesh ? opts.mesh : opts.mesh ? compileMesh(opts.mesh) : undefined;

  const counters = { requests: 0, allowed: 0, blocked: 0, errors: 0 };
  const selfHosts = new Set<string>(); // this proxy's own host:port spellings, filled in once listening
  const byReason: Record<string, number> = {};
  const keepBlocks = opts.keepBlocks ?? 50;
  const recent: EgressBlockEvent[] = [];
  /** Client sockets of CONNECT tunnels, and the upstream sockets behind them (both closed by close()). */
  const tunnels = new Set<Duplex>();
  const upstreams = new Set<Duplex>();

  const block = (e: Omit<EgressBlockEvent, 'time'>): void => {
    counters.blocked++;
    byReason[e.reason] = (byReason[e.reason] ?? 0) + 1;
    const event: EgressBlockEvent = { time: new Date().toISOString(), ...e };
    recent.push(event);
    if (recent.length > keepBlocks) recent.shift();
    try {
      opts.onBlock?.(event);
    } catch {
      // An audit sink's failure must not turn a refusal into a crash.
    }
  };
  const allow = (e: Omit<EgressAllowEvent, 'time'>): void => {
    counters.allowed++;
    try {
      opts.onAllow?.({ time: new Date().toISOString(), ...e });
    } catch {
      /* as above */
    }
  };
  const offer = (e: MirrorEvent): void => {
    mirror?.offer(e);
  };
  /** The engine's refusal of an allow-listed target, or undefined when it agrees (or none is set). */
  const policyRefusal = async (q: EgressPolicyQuery): Promise<Pick<EgressBlockEvent, 'reason' | 'detail' | 'ruleId' | 'incidentId'> | undefined> =>
    opts.policy ? askPolicy(opts.policy, q) : undefined;

  function refuseHttp(req: IncomingMessage, res: ServerResponse, e: Omit<EgressBlockEvent, 'time' | 'kind' | 'client' | 'method'>, started: number): void {
    block({ kind: 'http', client: clientOf(req.socket), method: req.method, ...e });
    const status = refusalStatus(e.reason);
    const body = `egress blocked (${e.reason}): ${e.detail}\n`;
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body), 'x-esq-egress-block': e.reason, ...(e.ruleId ? { 'x-esq-rule-id': e.ruleId } : {}), connection: 'close' });
    res.end(body);
    req.resume(); // drain a body we will not forward
    offer({ time: new Date(started).toISOString(), direction: 'egress', kind: 'http', method: req.method, ...splitTarget(e.target), status, durationMs: Date.now() - started, blocked: e.reason });
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    counters.requests++;
    const started = Date.now();
    const raw = req.url ?? '';
    const m = /^http:\/\/([^/?#]*)([\s\S]*)$/i.exec(raw);
    if (!m) {
      const detail = /^https:/i.test(raw) ? 'https:// targets must use CONNECT' : 'not an absolute http:// URL (is the client configured to use this proxy?)';
      return refuseHttp(req, res, { target: sanitize(raw), reason: 'bad-request', detail }, started);
    }
    const target = parseAuthority(m[1]!, 80);
    if (!target.ok) return refuseHttp(req, res, { target: sanitize(m[1]!), reason: target.reason, detail: target.detail }, started);
    const targetText = describeTarget(target.host, target.port);
    // A Host header naming another site would let the request reach it through an allowed front (domain fronting).
    // A Host naming the proxy itself (what a bare http.request through a proxy sends) is harmless: it is replaced below.
    if (req.headers.host !== undefined && !selfHosts.has(req.headers.host.toLowerCase())) {
      const hh = parseAuthority(req.headers.host, 80);
      if (!hh.ok || !sameTarget(hh, target)) {
        return refuseHttp(req, res, { target: targetText, reason: 'host-header-mismatch', detail: `Host header "${sanitize(req.headers.host)}" differs from the request target` }, started);
      }
    }
    const v = await checkTarget(list, target.host, target.port, resolver, dnsTimeoutMs);
    if (!v.ok) return refuseHttp(req, res, { target: targetText, reason: v.reason, detail: v.detail, ...(v.addressClass ? { addressClass: v.addressClass } : {}) }, started);
    const rest = m[2] || '/';
    const path = rest.startsWith('/') ? rest : `/${rest}`;
    const p = await policyRefusal({ kind: 'http', method: req.method ?? 'GET', host: target.host, port: target.port, path: path.split('?')[0]!, entry: v.entry.source });
    if (p) return refuseHttp(req, res, { target: targetText, entry: v.entry.source, ...p }, started);
    const route = mesh?.route(target.host, target.port);
    allow({ kind: 'http', client: clientOf(req.socket), target: targetText, address: v.address, entry: v.entry.source, ...(route ? { meshPeer: route.spiffeId } : {}) });
    // Before anything reads the body: nothing may flow while the token is minted.
    let hop: MeshHop | undefined;
    if (route) {
      try {
        hop = await mesh!.open(route, req.method ?? 'GET', path);
      } catch (e) {
        counters.errors++;
        const body = `egress mesh origination failed: ${(e as Error).message}\n`;
        res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body), connection: 'close' });
        res.end(body);
        req.resume();
        return;
      }
    }

    const headers = endToEndHeaders(req.rawHeaders);
    headers.host = target.port === 80 ? hostText(target.host) : `${hostText(target.host)}:${target.port}`;
    headers.connection = 'close';
    if (hop) headers[ZT_HEADER] = hop.token; // replaces any the service set: only the sidecar mints
    const reqCap = new BodyCapture(bodyLimit);
    const resCap = new BodyCapture(bodyLimit);
    if (bodyLimit > 0) req.on('data', (c: Buffer) => reqCap.add(c));

    const up = httpRequest({
      method: req.method,
      path,
      headers,
      setHost: false,
      createConnection: () => {
        const raw = connector({ host: v.address, port: target.port, family: v.family });
        const s = hop ? hop.secure(raw) : raw;
        if (s !== raw) s.once('close', () => raw.destroy());
        s.setTimeout(idleTimeoutMs, () => s.destroy(new Error('upstream idle timeout')));
        return s;
      },
    });
    let status: number | undefined;
    let responseHeaders: Record<string, string | string[]> | undefined;
    up.on('response', (ur) => {
      const loc = ur.headers.location;
      if (ur.statusCode && ur.statusCode >= 300 && ur.statusCode < 400 && typeof loc === 'string') {
        const r = checkRedirect(list, loc, target);
        if (r) {
          ur.resume();
          up.destroy();
          block({ kind: 'http', client: clientOf(req.socket), method: req.method, target: targetText, reason: r.reason, detail: r.detail, entry: v.entry.source });
          const body = `egress blocked (${r.reason}): ${r.detail}\n`;
          res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body), 'x-esq-egress-block': r.reason, connection: 'close' });
          res.end(body);
          status = 502;
          return;
        }
      }
      status = ur.statusCode ?? 502;
      responseHeaders = endToEndHeaders(ur.rawHeaders);
      res.writeHead(status, ur.statusMessage, responseHeaders);
      if (bodyLimit > 0) ur.on('data', (c: Buffer) => resCap.add(c));
      ur.pipe(res);
    });
    up.on('error', (e) => {
      counters.errors++;
      if (!res.headersSent) {
        const body = `egress upstream error: ${(e as NodeJS.ErrnoException).code ?? e.message}\n`;
        res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body), connection: 'close' });
        res.end(body);
        status = 502;
      } else {
        res.destroy();
      }
    });
    res.on('close', () => {
      if (!res.writableFinished) up.destroy();
      if (!mirror) return;
      const e: MirrorEvent = {
        time: new Date(started).toISOString(), direction: 'egress', kind: 'http', method: req.method, host: hostText(target.host), port: target.port,
        path: path.split('?')[0]!, durationMs: Date.now() - started, requestHeaders: endToEndHeaders(req.rawHeaders),
      };
      if (status !== undefined) e.status = status;
      if (responseHeaders) e.responseHeaders = responseHeaders;
      const rb = reqCap.body();
      const sb = resCap.body();
      if (rb) e.requestBody = rb;
      if (sb) e.responseBody = sb;
      offer(e);
    });
    req.pipe(up);
  }

  function refuseConnect(socket: Duplex, e: Omit<EgressBlockEvent, 'time' | 'kind' | 'method'>, started: number, tunnelOpen: boolean, method = 'CONNECT'): void {
    block({ kind: method === 'CONNECT' ? 'connect' : 'http', method, ...e });
    if (tunnelOpen) {
      socket.destroy(); // after "200" only closing is possible; the client sees its TLS handshake fail
    } else {
      const body = `egress blocked (${e.reason}): ${e.detail}\n`;
      const status = refusalStatus(e.reason);
      const rule = e.ruleId ? `x-esq-rule-id: ${e.ruleId}\r\n` : '';
      socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\ncontent-type: text/plain; charset=utf-8\r\nx-esq-egress-block: ${e.reason}\r\n${rule}content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
    }
    offer({ time: new Date(started).toISOString(), direction: 'egress', kind: method === 'CONNECT' ? 'tunnel' : 'http', method, ...splitTarget(e.target), durationMs: Date.now() - started, blocked: e.reason, ...(e.sni ? { sni: e.sni } : {}) });
  }

  // A tunnel carries the service's own TLS end to end: the sidecar sees no request in it, so it can
  // add no X-ZT token and present no workload certificate. Mesh peers are called over plain http://
  // through this proxy instead (mesh.ts); a tunnel to one is checked and relayed like any other.
  async function onConnect(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    counters.requests++;
    const started = Date.now();
    const client = clientOf(req.socket);
    tunnels.add(socket);
    socket.on('close', () => tunnels.delete(socket));
    socket.on('error', () => socket.destroy());
    const target = parseAuthority(req.url ?? '');
    if (!target.ok) return refuseConnect(socket, { client, target: sanitize(req.url ?? ''), reason: target.reason, detail: target.detail }, started, false);
    const targetText = describeTarget(target.host, target.port);
    const v = await checkTarget(list, target.host, target.port, resolver, dnsTimeoutMs);
    if (!v.ok) return refuseConnect(socket, { client, target: targetText, reason: v.reason, detail: v.detail, ...(v.addressClass ? { addressClass: v.addressClass } : {}) }, started, false);
    const p = await policyRefusal({ kind: 'connect', method: 'CONNECT', host: target.host, port: target.port, entry: v.entry.source });
    if (p) return refuseConnect(socket, { client, target: targetText, entry: v.entry.source, ...p }, started, false);
    if (socket.destroyed) return;
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');

    // Peek at the ClientHello before dialling: the SNI must name the host that was checked.
    let buf = head;
    let settled = false;
    const timer = setTimeout(() => finish({ reason: 'client-hello-timeout', detail: `no ClientHello within ${helloTimeoutMs} ms` }), helloTimeoutMs);
    const onData = (chunk: Buffer): void => {
      buf = Buffer.concat([buf, chunk]);
      evaluate();
    };
    const onEnd = (): void => finish(undefined, true);
    function finish(refusal?: { reason: BlockReason; detail: string; sni?: string }, quiet = false, sni?: string): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.removeListener('data', onData);
      socket.removeListener('end', onEnd);
      if (quiet) return void socket.destroy();
      if (refusal) return refuseConnect(socket, { client, target: targetText, entry: v.ok ? v.entry.source : undefined, ...refusal }, started, true);
      openTunnel(sni);
    }
    function evaluate(): void {
      const r = parseClientHello(buf);
      if (r.state === 'need-more') {
        if (buf.length > CLIENT_HELLO_MAX_BYTES) finish({ reason: 'client-hello-invalid', detail: 'ClientHello too large' });
        return;
      }
      if (r.state === 'not-tls') return finish({ reason: 'tunnel-not-tls', detail: 'tunnels carry TLS only' });
      if (r.state === 'invalid') return finish({ reason: 'client-hello-invalid', detail: r.why });
      const sni = r.sni;
      const withSni = sni !== undefined ? { sni: sanitize(sni) } : {};
      if (r.ech) return finish({ reason: 'ech-refused', detail: 'Encrypted ClientHello hides the real server name', ...withSni });
      if (target.ok && target.host.kind === 'ip') {
        if (sni !== undefined) return finish({ reason: 'sni-mismatch', detail: 'SNI names a host, but the tunnel was opened to an IP address', ...withSni });
        return finish(undefined, false, sni);
      }
      if (sni === undefined) return finish({ reason: 'sni-missing', detail: 'ClientHello without a server name' });
      const s = parseHost(sni);
      if (!s.ok || s.host.kind !== 'name' || !target.ok || target.host.kind !== 'name' || s.host.name !== target.host.name) {
        return finish({ reason: 'sni-mismatch', detail: 'SNI differs from the CONNECT host', ...withSni });
      }
      finish(undefined, false, sni);
    }
    function openTunnel(sni: string | undefined): void {
      if (!v.ok || !target.ok) return;
      allow({ kind: 'connect', client, target: targetText, address: v.address, entry: v.entry.source });
      let bytesIn = 0;
      let bytesOut = buf.length;
      const up = connector({ host: v.address, port: target.port, family: v.family });
      upstreams.add(up);
      let failed = false;
      up.on('error', () => {
        failed = true;
        counters.errors++;
        socket.destroy();
      });
      up.on('close', () => {
        upstreams.delete(up);
        socket.destroy();
        if (!mirror) return;
        offer({
          time: new Date(started).toISOString(), direction: 'egress', kind: 'tunnel', method: 'CONNECT', host: hostText(target.host), port: target.port,
          durationMs: Date.now() - started, bytesIn, bytesOut, ...(sni ? { sni } : {}), ...(failed ? { status: 502 } : {}),
        });
      });
      socket.on('close', () => up.destroy());
      up.setTimeout(idleTimeoutMs, () => up.destroy());
      (socket as Socket).setTimeout?.(idleTimeoutMs, () => socket.destroy());
      up.on('data', (c: Buffer) => (bytesIn += c.length));
      socket.on('data', (c: Buffer) => (bytesOut += c.length));
      up.write(buf);
      up.pipe(socket);
      socket.pipe(up);
    }
    socket.on('data', onData);
    socket.on('end', onEnd);
    socket.once('close', () => finish(undefined, true)); // the client left before its ClientHello: nothing to audit
    if (buf.length > 0) evaluate();
  }

  // Absolute-form requests carry their authority; the Host header is checked against it when present.
  const server = createServer({ requestTimeout: 60_000, headersTimeout: 30_000, requireHostHeader: false });
  server.on('request', (req, res) => {
    onRequest(req, res).catch(() => {
      counters.errors++;
      if (!res.headersSent) res.writeHead(500, { connection: 'close' });
      res.end();
    });
  });
  server.on('connect', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    onConnect(req, socket, head).catch(() => {
      counters.errors++;
      socket.destroy();
    });
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex) => {
    counters.requests++;
    refuseConnect(socket, { client: clientOf(req.socket), target: sanitize(req.url ?? ''), reason: 'upgrade-refused', detail: 'protocol upgrades (WebSocket over plain HTTP) are not proxied; use wss:// through CONNECT' }, Date.now(), false, req.method ?? 'GET');
  });
  server.on('clientError', (_e, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as { port: number }).port;
  for (const h of ['127.0.0.1', 'localhost', '[::1]']) selfHosts.add(`${h}:${port}`);
  return {
    url: `http://${host === '::1' ? '[::1]' : host}:${port}`,
    port,
    allowListSize: list.entries.length,
    recentBlocks: (limit = keepBlocks) => recent.slice(-limit).reverse(),
    stats: () => ({ ...counters, blockedByReason: { ...byReason }, activeTunnels: [...tunnels].filter((t) => !t.destroyed).length }),
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const t of [...tunnels, ...upstreams]) t.destroy();
      server.closeAllConnections();
      await closed;
    },
  };
}
