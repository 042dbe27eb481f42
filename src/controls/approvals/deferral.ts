/**
 * What happens to a deferred decision, wherever it is decided (the HTTP service, or an embedded
 * caller such as the vulnerability scanner): a first submission raises an approval request; a
 * resubmission carrying an approval id uses that approval, once, for exactly the same action.
 */
import { ulid } from 'ulidx';
import type { Governor } from '../../engine/governor.js';
import type { Action, Decision, Incident } from '../../engine/types.js';
import type { Store } from '../../store/port.js';
import { actionHash, type Approval } from './approval.js';

/** A pending approval request for a deferred decision. The requester is the authenticated caller. */
export function newApproval(action: Action, d: Decision, requester: string, now: Date): Approval {
  const risk = d.risk ?? { class: 'high' as const, approvals: 1, expiresInSeconds: 24 * 3600 };
  const summary: Approval['summary'] = { action: action.name, reason: d.reason, riskClass: risk.class };
  if (action.principal?.id) summary.principal = action.principal.id;
  if (d.ruleId) summary.ruleId = d.ruleId;
  return {
    id: `APR-${ulid(now.getTime())}`,
    tenant: action.tenant ?? null,
    requester,
    actionHash: actionHash(action),
    summary,
    riskClass: risk.class,
    required: Math.max(1, risk.approvals),
    status: 'pending',
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + risk.expiresInSeconds * 1000).toISOString(),
    votes: [],
  };
}

export interface Settled {
  decision: Decision;
  /** Filed by the caller: a resubmission whose approval cannot be used is a block. */
  incident?: Incident;
  /** The request raised by this call, if any. */
  created?: Approval;
}

/** Settles a `defer` decision against the approval store. Other effects pass through unchanged. */
export async function settleDeferral(
  deps: { store: Pick<Store, 'createApproval' | 'consumeApproval'>; governor: Pick<Governor, 'refuse'> },
  action: Action,
  decision: Decision,
  requester: string,
  now: Date,
): Promise<Settled> {
  if (decision.effect !== 'defer') return { decision };
  if (action.approvalId) {
    const used = await deps.store.consumeApproval(action.approvalId, actionHash(action), now);
    if (used.ok) {
      const by = used.approval.votes.filter((v) => v.decision === 'approve').map((v) => v.approver);
      return { decision: { ...decision, allow: true, effect: 'allow', reason: `Approved (${action.approvalId} by ${by.join(', ')}): ${decision.reason}`, approvalId: action.approvalId } };
    }
    return deps.governor.refuse(action, decision, 'ESQ-APPROVAL', `approval ${action.approvalId} cannot be used: ${used.message}`);
  }
  const created = newApproval(action, decision, requester, now);
  await deps.store.createApproval(created);
  return { decision: { ...decision, approvalId: created.id }, created };
}
