/**
 * Building an incident from a refused decision. Pure: the id, clock and hasher come in.
 */
import type { ArgHasher } from './ports.js';
import type { Action, Decision, Incident } from './types.js';

/** Every argument is hashed; `dest` and `content` too, since they often carry the sensitive part. */
export interface Origin {
  host?: string;
  pid?: number;
  user?: string;
}

export function buildIncident(action: Action, decision: Decision, init: { id: string; now: Date; hasher: ArgHasher; origin?: Origin }): Incident {
  const argHashes: Record<string, string> = {};
  for (const [k, v] of Object.entries(action.args ?? {})) argHashes[k] = init.hasher.hash(v);
  if (action.dest !== undefined && !('dest' in argHashes)) argHashes.dest = init.hasher.hash(action.dest);
  if (action.content !== undefined) argHashes['$content'] = init.hasher.hash(action.content);
  const winner = decision.matches[0];
  const caller: Incident['caller'] = { ...init.origin };
  if (action.principal?.id) caller.principal = action.principal.id;
  if (action.principal?.service) caller.service = action.principal.service;
  if (action.tenant) caller.tenant = action.tenant;
  return {
    id: init.id,
    time: init.now.toISOString(),
    action: action.name,
    caller,
    ruleId: decision.ruleId ?? winner?.ruleId ?? 'default',
    severity: winner?.severity ?? 'high',
    reason: decision.reason,
    effect: decision.effect,
    env: decision.env,
    policy: decision.policy,
    argHashes,
    hashKeyId: init.hasher.keyId,
    trace: [...decision.matches, ...decision.dryRun].map((m) => {
      const t: Incident['trace'][number] = { ruleId: m.ruleId, effect: m.effect, mode: m.mode, tier: m.tier };
      if (m.error) t.error = m.error;
      return t;
    }),
  };
}
