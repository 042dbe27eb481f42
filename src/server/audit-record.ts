/**
 * What the audit log keeps of a decision: enough to explain it (action name, effect, rule ids,
 * policy version, the authenticated caller, finding types) and nothing sensitive — the
 * destination is a keyed hash, arguments are named but not stored.
 */
import type { AuditRecordInput } from '../audit/chain/record.js';
import type { ArgHasher } from '../engine/ports.js';
import type { Action, Decision, Incident } from '../engine/types.js';
import type { Principal } from './auth/api-keys.js';

/** `incident`, when the decision filed one, already holds the destination's hash (one HMAC fewer). */
export function decisionAuditRecord(action: Action, d: Decision, caller: Principal, hasher: ArgHasher, incident?: Incident): AuditRecordInput {
  const data: Record<string, unknown> = {
    keyId: caller.keyId,
    policy: d.policy,
    env: d.env,
    evalMicros: d.timings.evalMicros,
    matched: d.matches.map((m) => ({ ruleId: m.ruleId, effect: m.effect })),
  };
  if (d.dryRun.length > 0) data.dryRun = d.dryRun.map((m) => ({ ruleId: m.ruleId, effect: m.effect }));
  if (action.principal?.id) data.claimedPrincipal = action.principal.id;
  if (action.dest !== undefined) {
    // The incident hashed the destination already, unless an argument named `dest` took that slot.
    const known = incident && !(action.args && 'dest' in action.args) ? incident.argHashes.dest : undefined;
    data.dest = known ?? hasher.hash(action.dest);
  }
  if (action.args) data.args = Object.keys(action.args);
  if (d.findings?.length) data.findings = d.findings.map((f) => ({ entity: f.entity, score: f.score }));
  if (d.incidentId) data.incidentId = d.incidentId;
  if (d.approvalId) data.approvalId = d.approvalId;
  if (d.bypassed) data.bypassed = true;
  const rec: AuditRecordInput = { kind: 'decision', principal: caller.keyId, action: action.name, effect: d.effect, ruleIds: d.matches.map((m) => m.ruleId), data };
  if (action.tenant) rec.tenant = action.tenant;
  return rec;
}
