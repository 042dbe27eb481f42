/**
 * Human approvals, as pure rules: who may vote, what a vote does, when a request is decided.
 * Stores persist the result inside one transaction (race-free across replicas); this module
 * holds no state and does no I/O.
 */
import { createHash } from 'node:crypto';
import canonicalizeModule from 'canonicalize';
import type { Action } from '../../engine/types.js';

const canonicalize = canonicalizeModule as unknown as (v: unknown) => string | undefined;

export type RiskClass = 'low' | 'medium' | 'high' | 'critical';
export type ApprovalStatus = 'pending' | 'approved' | 'denied' | 'expired';

export interface Vote {
  approver: string;
  decision: 'approve' | 'deny';
  reason: string;
  at: string;
}

export interface Approval {
  id: string;
  tenant: string | null;
  /** The authenticated identity that asked (API key id or console user), never a name from the action. */
  requester: string;
  /** sha256 of the canonical action (without approvalId): an approval is valid for exactly this action. */
  actionHash: string;
  /** What approvers see: no raw argument values. */
  summary: { action: string; dest?: string; principal?: string; ruleId?: string; reason: string; riskClass: RiskClass };
  riskClass: RiskClass;
  required: number;
  status: ApprovalStatus;
  createdAt: string;
  expiresAt: string;
  decidedAt?: string;
  consumedAt?: string;
  votes: Vote[];
}

export type VoteRefusal = 'not-found' | 'not-pending' | 'expired' | 'self-approval' | 'duplicate-vote' | 'forbidden';

export function actionHash(action: Action): string {
  const { approvalId: _ignored, ...rest } = action;
  return createHash('sha256').update(canonicalize(rest) ?? '').digest('hex');
}

/** The status as of `now`: a pending request past its deadline is expired (and expiry is a denial). */
export function currentStatus(a: Approval, now: Date): ApprovalStatus {
  return a.status === 'pending' && now.getTime() >= Date.parse(a.expiresAt) ? 'expired' : a.status;
}

/**
 * Applies one vote. Refuses a vote by the requester, a second vote by the same approver, and any
 * vote on a request that is no longer pending. A single deny rejects; `required` distinct approvals
 * approve.
 */
export function applyVote(a: Approval, vote: Vote, now: Date): { ok: true; approval: Approval } | { ok: false; reason: VoteRefusal; message: string } {
  const status = currentStatus(a, now);
  if (status === 'expired') return { ok: false, reason: 'expired', message: `approval ${a.id} expired at ${a.expiresAt}; expiry is a denial` };
  if (status !== 'pending') return { ok: false, reason: 'not-pending', message: `approval ${a.id} is already ${status}` };
  if (vote.approver === a.requester) return { ok: false, reason: 'self-approval', message: 'the requester cannot vote on their own request' };
  if (a.votes.some((v) => v.approver === vote.approver)) return { ok: false, reason: 'duplicate-vote', message: `${vote.approver} has already voted on ${a.id}` };
  const votes = [...a.votes, vote];
  const approvals = new Set(votes.filter((v) => v.decision === 'approve').map((v) => v.approver)).size;
  const next: Approval = { ...a, votes };
  if (vote.decision === 'deny') {
    next.status = 'denied';
    next.decidedAt = vote.at;
  } else if (approvals >= a.required) {
    next.status = 'approved';
    next.decidedAt = vote.at;
  }
  return { ok: true, approval: next };
}

export type ConsumeRefusal = 'not-found' | 'not-approved' | 'already-used' | 'wrong-action' | 'expired' | 'denied' | 'pending';

/** Whether an approved request may be used now for this action (the store then marks it used, once). */
export function checkConsume(a: Approval | undefined, hash: string, now: Date): { ok: true } | { ok: false; reason: ConsumeRefusal; message: string } {
  if (!a) return { ok: false, reason: 'not-found', message: 'no such approval' };
  if (a.actionHash !== hash) return { ok: false, reason: 'wrong-action', message: `approval ${a.id} was granted for a different action` };
  const status = currentStatus(a, now);
  if (status === 'pending') return { ok: false, reason: 'pending', message: `approval ${a.id} is still pending (${a.votes.filter((v) => v.decision === 'approve').length}/${a.required} approvals)` };
  if (status === 'expired') return { ok: false, reason: 'expired', message: `approval ${a.id} expired before it was decided` };
  if (status === 'denied') return { ok: false, reason: 'denied', message: `approval ${a.id} was denied` };
  if (a.consumedAt) return { ok: false, reason: 'already-used', message: `approval ${a.id} was already used at ${a.consumedAt}; an approval is good for one call` };
  return { ok: true };
}
