/**
 * The policy engine's say on egress. The allow-list is the floor: only a target it allows is put
 * to the engine, as an `egress.request` action, and the engine can only refuse (deny overrides).
 * No answer from the engine is a refusal too (fail closed).
 *
 *   name: egress.request
 *   dest: "https://api.example.com" (CONNECT) or "http://ledger.local:8080/balance" (plain HTTP,
 *         path without the query; default ports left out)
 *   args: { kind: "http" | "connect", method, host, port, path? }
 *   principal: { id: <the wrapped service's SPIFFE ID>, service: <same> }
 */
import type { Action, Decision } from '../../engine/types.js';
import { hostText, type HostRef } from './host.js';
import type { BlockReason } from './policy.js';

/** One allow-listed request, as the policy is asked about it. */
export interface EgressPolicyQuery {
  kind: 'http' | 'connect';
  method: string;
  host: HostRef;
  port: number;
  /** Plain HTTP only, without the query string. */
  path?: string;
  /** The allow-list entry that let it through. */
  entry: string;
}

export type EgressPolicyVerdict = { allow: true } | { allow: false; reason: string; ruleId?: string; incidentId?: string };
export type EgressPolicy = (q: EgressPolicyQuery) => EgressPolicyVerdict | Promise<EgressPolicyVerdict>;

export interface EgressRefusal {
  reason: BlockReason;
  detail: string;
  ruleId?: string;
  incidentId?: string;
}

/** Runs the policy; a refusal (or an error) comes back as the block to record. */
export async function askPolicy(policy: EgressPolicy, q: EgressPolicyQuery): Promise<EgressRefusal | undefined> {
  let v: EgressPolicyVerdict;
  try {
    v = await policy(q);
  } catch (e) {
    return { reason: 'policy-error', detail: `policy engine unavailable: ${(e as Error).message}` };
  }
  if (v.allow) return undefined;
  return { reason: 'policy-blocked', detail: v.reason, ...(v.ruleId ? { ruleId: v.ruleId } : {}), ...(v.incidentId ? { incidentId: v.incidentId } : {}) };
}

const DEFAULT_PORT = { http: 80, connect: 443 } as const;

export function egressAction(q: EgressPolicyQuery, spiffeId: string): Action {
  const host = q.host.kind === 'name' ? q.host.name : q.host.address;
  const scheme = q.kind === 'connect' ? 'https' : 'http';
  const port = q.port === DEFAULT_PORT[q.kind] ? '' : `:${q.port}`;
  return {
    name: 'egress.request',
    dest: `${scheme}://${hostText(q.host)}${port}${q.path ?? ''}`,
    args: { kind: q.kind, method: q.method, host, port: q.port, ...(q.path !== undefined ? { path: q.path } : {}) },
    principal: { id: spiffeId, service: spiffeId },
  };
}

/** An EgressPolicy backed by the engine's decide (the same one the ingress asks). */
export function enginePolicy(decide: (action: Action) => Decision | Promise<Decision>, spiffeId: string): EgressPolicy {
  return async (q) => {
    const d = await decide(egressAction(q, spiffeId));
    if (d.allow) return { allow: true };
    return { allow: false, reason: d.reason, ...(d.ruleId ? { ruleId: d.ruleId } : {}), ...(d.incidentId ? { incidentId: d.incidentId } : {}) };
  };
}
