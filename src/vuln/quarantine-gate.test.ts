/**
 * The scanner's questions answered by ESQ's own engine: the envelope pack composed into the
 * default pack, incidents for cordons (hashes only), approval requests for lifts — embedded (a
 * governor and the SQLite store under ESQ_HOME) and through a running decision service.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createGovernor } from '../esq.js';
import { RemoteGovernor } from '../hook/remote.js';
import { generateApiKey } from '../server/auth/api-keys.js';
import { startService, type Service } from '../server/service.js';
import { openStore } from '../store/open.js';
import { tempHome } from '../../test/helpers.js';
import { embeddedDecider, policyGate, remoteDecider, type QuarantineGate } from './quarantine-gate.js';
import type { Finding, Severity } from './types.js';

const finding = (id: string, level: Severity, name = 'lodash'): Finding => ({
  id, advisories: [id], aliases: [], summary: '', severity: { level, method: 'test' }, references: [], fixedIn: '4.17.21',
  package: { ecosystem: 'npm', name, version: '4.17.20', path: [name], relation: 'direct', source: '/srv/lunch/package-lock.json' },
});
const SERVICE = { service: 'lunch-subsidy-svc', classification: 'pii-high' };

async function vote(home: string, id: string, decision: 'approve' | 'deny', approver = 'privacy-officer'): Promise<void> {
  const store = await openStore({ home });
  try {
    const r = await store.voteApproval(id, { approver, decision, reason: 'reviewed the upgrade', at: new Date().toISOString() }, new Date());
    assert.ok(r.ok, r.ok ? '' : r.message);
  } finally {
    await store.close();
  }
}

describe('quarantine gate, embedded (governor + store under ESQ_HOME)', () => {
  const tmp = tempHome('esq-gate-');
  after(tmp.cleanup);
  const home = tmp.dir;
  const governor = createGovernor({ home, pack: 'hipaa', env: 'prod' });
  const gate: QuarantineGate = policyGate(embeddedDecider({ home, governor }), SERVICE);
  const incidents = async (): Promise<number> => {
    const store = await openStore({ home });
    try {
      return (await store.listIncidents({ limit: 1000 })).items.length;
    } finally {
      await store.close();
    }
  };

  it('loads the envelope pack alongside the domain pack', () => {
    const ids = governor.policy.current.rules.map((r) => r.id);
    assert.ok(ids.includes('HIPAA-SC-12') && ids.includes('ENV-VULN-01'), ids.join(','));
    assert.equal(governor.policy.current.name, 'hipaa');
  });

  it('cordons a pii-high service on a critical and files an incident (in the store the console reads) with hashes only', async () => {
    const d = await gate.decide([finding('CVE-2021-23337', 'critical'), finding('CVE-2020-28500', 'medium')]);
    assert.equal(d.cordon, true);
    assert.equal(d.ruleId, 'ENV-VULN-01');
    assert.match(d.reason, /Rule ENV-VULN-01 violated \(critical vulnerability in a service holding regulated data\)/);
    assert.match(d.incidentId ?? '', /^INC-/);
    const store = await openStore({ home });
    const stored = await store.getIncident(d.incidentId!);
    await store.close();
    assert.ok(stored, 'the incident is in the store');
    const text = JSON.stringify(stored);
    const inc = stored as unknown as { action: string; ruleId: string; argHashes: Record<string, string>; caller: { principal?: string } };
    assert.deepEqual([inc.action, inc.ruleId, inc.caller.principal], ['vuln.quarantine', 'ENV-VULN-01', 'esq-scanner']);
    assert.ok(Object.keys(inc.argHashes).includes('advisories'));
    for (const raw of ['lunch-subsidy-svc', 'CVE-2021-23337', 'pii-high', 'lodash', 'package-lock']) assert.ok(!text.includes(raw), `${raw} must not be in the incident`);
  });

  it('does not cordon for a medium, and files nothing', async () => {
    const before = await incidents();
    const d = await gate.decide([finding('CVE-2020-28500', 'medium')]);
    assert.equal(d.cordon, false);
    assert.equal(d.incidentId, undefined);
    assert.equal(await incidents(), before);
  });

  it('raises an approval request for the lift and lifts only once it is approved, once', async () => {
    const req = await gate.requestLift({ advisories: ['CVE-2021-23337'], trigger: 'resolved' });
    assert.equal(req.status, 'pending');
    if (req.status !== 'pending') return;
    assert.deepEqual([req.required, req.expiresInSeconds], [1, 24 * 3600]);
    const store = await openStore({ home });
    const a = await store.getApproval(req.lift.approvalId, new Date());
    await store.close();
    assert.ok(a, 'the request is in the store `esq serve` reads');
    assert.deepEqual([a.status, a.riskClass, a.required, a.summary.action, a.summary.principal], ['pending', 'high', 1, 'vuln.quarantine.lift', 'esq-scanner']);
    assert.ok(!JSON.stringify(a).includes('CVE-2021-23337'), 'approvers see no raw arguments');

    assert.deepEqual(await gate.completeLift(req.lift), { status: 'pending' });
    await assert.rejects(vote(home, req.lift.approvalId, 'approve', a.requester), /requester cannot vote/);
    await vote(home, req.lift.approvalId, 'approve');
    const done = await gate.completeLift(req.lift);
    assert.equal(done.status, 'lifted');
    assert.match((done as { reason: string }).reason, /^Approved \(APR-\w+ by privacy-officer\)/);
    const again = await gate.completeLift(req.lift);
    assert.equal(again.status, 'refused', 'an approval is good for one lift');
  });

  it('reports a denied lift as denied', async () => {
    const req = await gate.requestLift({ advisories: ['CVE-2021-23337'], trigger: 'operator' });
    assert.equal(req.status, 'pending');
    if (req.status !== 'pending') return;
    await vote(home, req.lift.approvalId, 'deny');
    assert.deepEqual(await gate.completeLift(req.lift), { status: 'denied', reason: `approval ${req.lift.approvalId} was denied` });
  });
});

describe('quarantine gate, through a running decision service', () => {
  const tmp = tempHome('esq-gate-svc-');
  let svc: Service;
  let remote: RemoteGovernor;
  let approverKey: string;
  let adminKey: string;
  before(async () => {
    adminKey = 'esq_admin_key_for_gate_tests_0123456789';
    svc = await startService({ home: tmp.dir, env: 'prod', pack: 'hipaa', adminKey, watch: false });
    const url = await svc.app.listen({ port: 0, host: '127.0.0.1' });
    const scanner = generateApiKey();
    await svc.store.putApiKey({ id: `scanner-${scanner.id}`, hash: scanner.hash, roles: ['decide'], tenant: null, label: 'scanner', createdAt: new Date() });
    const approver = generateApiKey();
    await svc.store.putApiKey({ id: `officer-${approver.id}`, hash: approver.hash, roles: ['approve'], tenant: null, label: 'officer', createdAt: new Date() });
    approverKey = approver.key;
    remote = new RemoteGovernor({ url, apiKey: scanner.key, timeoutMs: 5000 });
  });
  after(async () => {
    await remote.close();
    await svc.close();
    tmp.cleanup();
  });

  it('the service cordons, files the incident in its store, and lifts after an approval in its API', async () => {
    const gate = policyGate(remoteDecider(remote), SERVICE);
    const d = await gate.decide([finding('CVE-2021-23337', 'critical')]);
    assert.deepEqual([d.cordon, d.ruleId], [true, 'ENV-VULN-01']);
    const inc = await svc.app.inject({ method: 'GET', url: `/v1/incidents/${d.incidentId}`, headers: { authorization: `Bearer ${adminKey}` } });
    assert.equal(inc.statusCode, 200, inc.body);
    assert.equal(inc.json().action, 'vuln.quarantine');
    assert.equal((await gate.decide([finding('CVE-2020-28500', 'high')])).cordon, false);

    const req = await gate.requestLift({ advisories: ['CVE-2021-23337'], trigger: 'resolved' });
    assert.equal(req.status, 'pending');
    if (req.status !== 'pending') return;
    assert.deepEqual(await gate.completeLift(req.lift), { status: 'pending' });
    const ok = await svc.app.inject({ method: 'POST', url: `/v1/approvals/${req.lift.approvalId}/approve`, headers: { authorization: `Bearer ${approverKey}` }, payload: { reason: 'patched' } });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal((await gate.completeLift(req.lift)).status, 'lifted');
  });
});
