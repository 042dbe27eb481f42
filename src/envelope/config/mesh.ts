/**
 * `zeroTrust.mesh`: the destinations that are mesh-internal peers, each with the SPIFFE ID its
 * sidecar must prove. The allow-list decides *whether* the service may reach a host; this decides
 * *how* the sidecar reaches it (mTLS it originates, plus a one-time X-ZT token; see egress/mesh.ts).
 */
import { spiffeIdProblem } from '../pki/spiffe-id.js';
import { isAllowed, parseAllowEntry, type AllowEntry } from './allow-list.js';

export interface MeshPeer {
  /** The key as written: "host" or "host:port". */
  raw: string;
  /** Lower-case host name or IP literal (IPv6 without brackets). */
  host: string;
  /** Absent: any port the allow-list permits for the host. */
  port?: number;
  /** The identity the peer's certificate must carry. */
  spiffeId: string;
}

/** Parses one `host[:port]: spiffe-id` pair; a string is the reason it is not valid. */
export function parseMeshPeer(key: string, spiffeId: string, allow: readonly AllowEntry[]): MeshPeer | string {
  const e = parseAllowEntry(key);
  if (typeof e === 'string') return `"${key}": ${e}`;
  if (e.wildcard) return `"${key}": a mesh peer is one host, pinned to one identity; wildcards are not allowed`;
  const why = spiffeIdProblem(spiffeId);
  if (why) return `"${spiffeId}" is not a SPIFFE ID: ${why}`;
  const listed = e.port !== undefined ? isAllowed(allow, e.host, e.port) : allow.some((a) => isAllowed([a], e.host, a.port ?? 443));
  if (!listed) return `"${key}" is not on outboundAllowList: list it there too (the allow-list decides whether the service may reach it, mesh only how)`;
  return { raw: key, host: e.host, ...(e.port !== undefined ? { port: e.port } : {}), spiffeId };
}
