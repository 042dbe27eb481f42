/**
 * Mesh origination: a plain-HTTP request the service sends through the egress proxy to a
 * mesh-internal peer does not leave as plain HTTP. The sidecar speaks for the service: TLS 1.3
 * with this workload's current certificate, the peer's certificate checked against the trust
 * bundle and pinned to the SPIFFE ID configured for it (identities, not host names: workloads move),
 * and a fresh one-time `X-ZT` token with the peer's host as audience, bound to method and path.
 *
 * Only plain HTTP can be treated so: a CONNECT tunnel carries the service's own TLS, which the
 * sidecar can neither see into nor add a header to.
 */
import type { Socket } from 'node:net';
import { connect as tlsConnect, createSecureContext, type SecureContext, type TLSSocket } from 'node:tls';
import { ConfigError } from '../../errors.js';
import type { WorkloadCredentials } from '../pki/ca.js';
import type { RevocationChecker } from '../pki/revocation.js';
import { spiffeIdProblem } from '../pki/spiffe-id.js';
import { checkSpiffeServer } from '../pki/tls-options.js';
import type { TokenSigner } from '../tokens/sign.js';
import { hostText, parseAuthority, type HostRef } from './host.js';

export interface MeshPeerInput {
  /** "host" or "host:port" (IPv6 in brackets); without a port, every port. */
  target: string;
  /** The SPIFFE ID the peer's certificate must carry. */
  spiffeId: string;
}

export interface MeshOptions {
  peers: readonly MeshPeerInput[];
  /** This workload's credentials, read per request so a rotated certificate is used at once. */
  credentials: () => WorkloadCredentials;
  /** Mints tokens with the same rotating key (see `open` for why both are read together). */
  signer: TokenSigner;
  /** The trust domain's revocation list: a peer showing a revoked certificate is refused, as callers are at the ingress. */
  revocation?: RevocationChecker;
}

/** Where a request goes when its target is a mesh peer. */
export interface MeshRoute {
  /** The peer entry as configured, for audit. */
  peer: string;
  spiffeId: string;
  /** The token's audience: the host as requested, without brackets or port. */
  audience: string;
  /** SNI: the host name (none for an IP literal). */
  servername?: string;
}

/** One request's hop to a peer: its token, and how to put TLS on the dialled socket. */
export interface MeshHop {
  token: string;
  secure(socket: Socket): TLSSocket;
}

export interface Mesh {
  readonly size: number;
  route(host: HostRef, port: number): MeshRoute | undefined;
  open(route: MeshRoute, method: string, path: string): Promise<MeshHop>;
}

interface CompiledPeer {
  source: string;
  key: string;
  /** 0: any port. */
  port: number;
  spiffeId: string;
}

export function compileMesh(o: MeshOptions): Mesh {
  const peers: CompiledPeer[] = o.peers.map((p) => {
    const source = p.target.trim();
    if (source.includes('*')) throw new ConfigError(`mesh peer "${source}": one host per peer, no wildcards`);
    const a = parseAuthority(source, 0);
    if (!a.ok) throw new ConfigError(`mesh peer "${source}": ${a.detail}`);
    const why = spiffeIdProblem(p.spiffeId);
    if (why) throw new ConfigError(`mesh peer "${source}": "${p.spiffeId}" is not a SPIFFE ID: ${why}`);
    return { source, key: hostText(a.host), port: a.port, spiffeId: p.spiffeId };
  });
  // A peer with a port is more specific than the bare host.
  peers.sort((a, b) => Number(b.port !== 0) - Number(a.port !== 0));
  // Secure contexts parse PEM and keys: build one per certificate, not per request.
  const contexts = new WeakMap<WorkloadCredentials, SecureContext>();
  const contextFor = (c: WorkloadCredentials): SecureContext => {
    let ctx = contexts.get(c);
    if (!ctx) {
      ctx = createSecureContext({ cert: c.chainPem, key: c.keyPem, ca: c.bundlePem, minVersion: 'TLSv1.3' });
      contexts.set(c, ctx);
    }
    return ctx;
  };

  return {
    size: peers.length,
    route(host, port) {
      const key = hostText(host);
      const p = peers.find((x) => x.key === key && (x.port === 0 || x.port === port));
      if (!p) return undefined;
      const audience = host.kind === 'name' ? host.name : host.address;
      return { peer: p.source, spiffeId: p.spiffeId, audience, ...(host.kind === 'name' ? { servername: host.name } : {}) };
    },
    async open(route, method, path) {
      // Read together, before any await: the signer's key and the certificate must belong to one
      // rotation, since the peer verifies the token with the key of the certificate it was shown.
      const creds = o.credentials();
      const minted = o.signer.mint({ audience: route.audience, method, path });
      const secureContext = contextFor(creds);
      const token = await minted;
      return {
        token,
        secure: (socket) =>
          tlsConnect({
            socket,
            secureContext,
            ...(route.servername ? { servername: route.servername } : {}),
            checkServerIdentity: (host, cert) =>
              checkSpiffeServer(route.spiffeId)(host, cert) ??
              (o.revocation?.isRevoked(cert.serialNumber) ? new Error(`peer certificate ${cert.serialNumber} is revoked`) : undefined),
          }),
      };
    },
  };
}
