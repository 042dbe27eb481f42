/**
 * The sidecar's egress: the allow-list proxy (egress/proxy.ts) on loopback, asking the policy
 * engine about every request the allow-list lets through (deny overrides: the engine can only
 * narrow the list), feeding the traffic mirror, and keeping its recent refusals for `esq status`.
 * Plain HTTP to a mesh peer (zeroTrust.mesh) leaves as mTLS with a one-time X-ZT token.
 */
import type { AllowEntry } from '../config/allow-list.js';
import type { Endpoint } from '../config/endpoint.js';
import type { EgressPolicy } from '../egress/engine.js';
import type { MeshOptions } from '../egress/mesh.js';
import { startEgressProxy, type EgressBlockEvent } from '../egress/proxy.js';
import type { MirrorTap } from '../mirror/types.js';

/** What the envelope needs of a running egress; the status parts are optional for stand-ins. */
export interface SidecarEgress {
  url: string;
  close(): Promise<void>;
  /** Entries the running proxy enforces. */
  allowListSize?(): number;
  /** Latest refusals, newest first. */
  recentBlocks?(limit: number): EgressBlockEvent[];
  blockedTotal?(): number;
}

export interface EgressContext {
  /** The engine's say after the allow-list's yes. */
  policy: EgressPolicy;
  mirror?: MirrorTap;
  /** Every refusal, with its reason (and rule id when the engine refused). */
  onBlock: (e: EgressBlockEvent) => void;
  /** Where to listen (loopback); default: a free port on 127.0.0.1. */
  listen?: Endpoint;
  /** Mesh peers, with the workload's rotating credentials and token signer. Absent: no peers. */
  mesh?: MeshOptions;
}

export type StartEgress = (allowList: readonly AllowEntry[], ctx: EgressContext) => Promise<SidecarEgress>;

export const startSidecarEgress: StartEgress = async (allowList, ctx) => {
  const listen = ctx.listen && 'host' in ctx.listen ? ctx.listen : undefined;
  const proxy = await startEgressProxy({
    allowList: allowList.map((e) => e.raw),
    policy: ctx.policy,
    onBlock: ctx.onBlock,
    ...(ctx.mirror ? { mirror: ctx.mirror } : {}),
    ...(ctx.mesh && ctx.mesh.peers.length > 0 ? { mesh: ctx.mesh } : {}),
    ...(listen ? { host: listen.host, port: listen.port } : {}),
  });
  return {
    url: proxy.url,
    close: () => proxy.close(),
    allowListSize: () => proxy.allowListSize,
    recentBlocks: (limit) => proxy.recentBlocks(limit),
    blockedTotal: () => proxy.stats().blocked,
  };
};
