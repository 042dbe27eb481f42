import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { actionHash, applyVote, checkConsume, currentStatus, type Approval } from './approval.js';

const t0 = new Date('2026-11-22T10:00:00Z');
const at = (h: number) => new Date(t0.getTime() + h * 3600_000);

function request(required: number, hours: number): Approval {
  return {
    id: 'APR-1',
    tenant: 'va',
    requester: 'key-req',
    actionHash: actionHash({ name: 'delete_phi', args: { mrn: 'x' } }),
    summary: { action: 'delete_phi', reason: 'r', riskClass: required > 1 ? 'critical' : 'high' },
    riskClass: required > 1 ? 'critical' : 'high',
    required,
    status: 'pending',
    createdAt: t0.toISOString(),
    expiresAt: at(hours).toISOString(),
    votes: [],
  };
}
const vote = (approver: string, decision: 'approve' | 'deny', h = 1) => ({ approver, decision, reason: 'ok', at: at(h).toISOString() });

describe('approval rules', () => {
  it('refuses self-approval', () => {
    const r = applyVote(request(1, 24), vote('key-req', 'approve'), at(1));
    assert.deepEqual([r.ok, !r.ok && r.reason], [false, 'self-approval']);
  });

  it('refuses a second vote by the same approver', () => {
    const first = applyVote(request(2, 72), vote('alice', 'approve'), at(1));
    assert.ok(first.ok);
    const second = applyVote(first.approval, vote('alice', 'approve', 2), at(2));
    assert.deepEqual([second.ok, !second.ok && second.reason], [false, 'duplicate-vote']);
  });

  it('needs two distinct approvers for critical', () => {
    const one = applyVote(request(2, 72), vote('alice', 'approve'), at(1));
    assert.ok(one.ok && one.approval.status === 'pending');
    const two = applyVote(one.approval, vote('bob', 'approve', 2), at(2));
    assert.ok(two.ok && two.approval.status === 'approved');
  });

  it('a single deny rejects, even after approvals', () => {
    const one = applyVote(request(2, 72), vote('alice', 'approve'), at(1));
    assert.ok(one.ok);
    const denied = applyVote(one.approval, vote('bob', 'deny', 2), at(2));
    assert.ok(denied.ok && denied.approval.status === 'denied');
    const late = applyVote(denied.approval, vote('carol', 'approve', 3), at(3));
    assert.deepEqual([late.ok, !late.ok && late.reason], [false, 'not-pending']);
  });

  it('expiry is a denial (injected clock)', () => {
    const a = request(1, 24);
    assert.equal(currentStatus(a, at(23.9)), 'pending');
    assert.equal(currentStatus(a, at(24)), 'expired');
    const r = applyVote(a, vote('alice', 'approve', 25), at(25));
    assert.deepEqual([r.ok, !r.ok && r.reason], [false, 'expired']);
  });

  it('an approval is bound to the action hash and good for one use', () => {
    const approved = applyVote(request(1, 24), vote('alice', 'approve'), at(1));
    assert.ok(approved.ok);
    const a = approved.approval;
    assert.deepEqual(checkConsume(a, actionHash({ name: 'delete_phi', args: { mrn: 'x' }, approvalId: 'APR-1' }), at(2)), { ok: true });
    const other = checkConsume(a, actionHash({ name: 'delete_phi', args: { mrn: 'y' } }), at(2));
    assert.equal(!other.ok && other.reason, 'wrong-action');
    const used = checkConsume({ ...a, consumedAt: at(2).toISOString() }, a.actionHash, at(3));
    assert.equal(!used.ok && used.reason, 'already-used');
    assert.match(!used.ok ? used.message : '', /good for one call/);
  });

  it('hashes actions canonically (key order does not matter)', () => {
    assert.equal(actionHash({ name: 'a', args: { x: 1, y: 2 } }), actionHash({ args: { y: 2, x: 1 }, name: 'a' }));
  });
});
