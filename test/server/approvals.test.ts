/**
 * Approvals through the HTTP API and the SDK: deferral → request → votes → single-use resubmission,
 * tenant isolation for approvers, and signed webhooks.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ApprovalRequired } from '../../src/errors.js';
import { guard } from '../../src/hook/guard.js';
import { RemoteGovernor } from '../../src/hook/remote.js';
import { generateApiKey } from '../../src/server/auth/api-keys.js';
import { startService, type Service } from '../../src/server/service.js';
import { signature } from '../../src/server/webhooks.js';
import { tempHome } from '../helpers.js';

const tmp = tempHome('esq-appr-');
let svc: Service;
let url: string;
const keys: Record<string, string> = {};
const received: Array<{ headers: IncomingMessage['headers']; body: string }> = [];
const hook = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    received.push({ headers: req.headers, body });
    res.end('ok');
  });
});
const SECRET = 'webhook-secret-0123456789';

async function key(name: string, roles: string[], tenant: string | null) {
  const k = generateApiKey();
  await svc.store.putApiKey({ id: `${name}-${k.id}`, hash: k.hash, roles, tenant, label: name, createdAt: new Date() });
  keys[name] = k.key;
}
const call = (method: 'GET' | 'POST', path: string, k: string, body?: unknown) =>
  svc.app.inject({ method, url: path, headers: { authorization: `Bearer ${k}` }, ...(body !== undefined ? { payload: body as object } : {}) });

before(async () => {
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  svc = await startService({
    home: tmp.dir,
    env: 'prod',
    pack: 'hipaa',
    adminKey: 'esq_admin_key_for_approvals_0123456789',
    watch: false,
    webhook: { url: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`, secret: SECRET, baseDelayMs: 10 },
  });
  url = await svc.app.listen({ port: 0, host: '127.0.0.1' });
  await key('agentA', ['decide'], 'va');
  await key('selfish', ['decide', 'approve'], 'va');
  await key('alice', ['approve'], 'va');
  await key('bob', ['approve'], 'va');
  await key('eve', ['approve'], 'dod');
});
after(async () => {
  await svc.close();
  hook.close();
  tmp.cleanup();
});

describe('approvals over HTTP', () => {
  it('defers a high-risk action with 202 and an approval id; one approval lets the same action through once', async () => {
    const action = { name: 'delete_phi', args: { mrn: 'MRN-1' }, principal: { id: 'dr' } };
    const d = await call('POST', '/v1/decide', keys.agentA!, action);
    assert.equal(d.statusCode, 202);
    const { approvalId, risk } = d.json();
    assert.match(approvalId, /^APR-/);
    assert.deepEqual([risk.class, risk.approvals], ['high', 1]);
    const pending = (await call('GET', '/v1/approvals?status=pending', keys.alice!)).json();
    assert.ok(pending.items.some((a: { id: string }) => a.id === approvalId));

    const early = await call('POST', '/v1/decide', keys.agentA!, { ...action, approvalId });
    assert.equal(early.json().effect, 'block', 'a pending approval does not let the action through');
    assert.match(early.json().reason, /still pending/);

    const v = await call('POST', `/v1/approvals/${approvalId}/approve`, keys.alice!, { reason: 'verified with the patient' });
    assert.equal(v.statusCode, 200);
    assert.equal(v.json().status, 'approved');

    const other = await call('POST', '/v1/decide', keys.agentA!, { ...action, args: { mrn: 'MRN-2' }, approvalId });
    assert.equal(other.json().effect, 'block');
    assert.match(other.json().reason, /different action/);
    const ok = await call('POST', '/v1/decide', keys.agentA!, { ...action, approvalId });
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.json().effect, 'allow');
    const again = await call('POST', '/v1/decide', keys.agentA!, { ...action, approvalId });
    assert.equal(again.json().effect, 'block');
    assert.match(again.json().reason, /already used/);
  });

  it('refuses self-approval by the authenticated requester and duplicate votes', async () => {
    const d = await call('POST', '/v1/decide', keys.selfish!, { name: 'delete_phi', args: { mrn: 'S' }, principal: { id: 'alice' } });
    const id = d.json().approvalId;
    const self = await call('POST', `/v1/approvals/${id}/approve`, keys.selfish!, { reason: 'trust me' });
    assert.equal(self.statusCode, 409);
    assert.equal(self.json().error.code, 'ESQ_APPROVAL_SELF_APPROVAL');
    const d2 = await call('POST', '/v1/decide', keys.agentA!, { name: 'purge_records', principal: { id: 'dr' } });
    const id2 = d2.json().approvalId;
    assert.equal((await call('POST', `/v1/approvals/${id2}/approve`, keys.alice!, { reason: 'ok' })).json().status, 'pending', 'critical needs two');
    const dup = await call('POST', `/v1/approvals/${id2}/approve`, keys.alice!, { reason: 'again' });
    assert.equal(dup.json().error.code, 'ESQ_APPROVAL_DUPLICATE_VOTE');
    const deny = await call('POST', `/v1/approvals/${id2}/deny`, keys.bob!, { reason: 'no retention basis' });
    assert.equal(deny.json().status, 'denied', 'a single deny rejects');
  });

  it('keeps approvers of tenant A away from tenant B', async () => {
    const d = await call('POST', '/v1/decide', keys.agentA!, { name: 'delete_phi', args: { mrn: 'T' } });
    const id = d.json().approvalId;
    assert.equal((await call('GET', `/v1/approvals/${id}`, keys.eve!)).statusCode, 404);
    assert.equal((await call('POST', `/v1/approvals/${id}/approve`, keys.eve!, { reason: 'x' })).statusCode, 404);
    assert.ok((await call('GET', '/v1/approvals?status=pending', keys.eve!)).json().items.every((a: { tenant: string }) => a.tenant === 'dod'));
    assert.equal((await call('GET', '/v1/approvals?tenant=va', keys.eve!)).statusCode, 403);
  });

  it('lets a waiting SDK call proceed once a human approves', async () => {
    const remote = new RemoteGovernor({ url, apiKey: keys.agentA! });
    let ran = 0;
    const del = guard(async function delete_phi(mrn: string) {
      ran++;
      return `deleted ${mrn}`;
    }, { remote, approval: { waitMs: 10_000 } });
    const pending = del('MRN-W');
    // Approve as soon as the request shows up.
    let id: string | undefined;
    for (let i = 0; i < 40 && !id; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const list = (await call('GET', '/v1/approvals?status=pending', keys.bob!)).json();
      id = list.items.find((a: { summary: { action: string } }) => a.summary.action === 'delete_phi')?.id;
    }
    assert.ok(id);
    await call('POST', `/v1/approvals/${id}/approve`, keys.bob!, { reason: 'ok' });
    assert.equal(await pending, 'deleted MRN-W');
    assert.equal(ran, 1);
    const noWait = guard(async function delete_phi(mrn: string) {
      return mrn;
    }, { remote });
    await assert.rejects(noWait('MRN-X'), (e: unknown) => e instanceof ApprovalRequired && /^APR-/.test(e.approvalId ?? ''));
    await remote.close();
  });

  it('records every vote in the audit log', async () => {
    const r = await call('GET', '/v1/audit?limit=10000', 'esq_admin_key_for_approvals_0123456789');
    const votes = r.json().records.filter((x: { kind: string }) => x.kind === 'approval.vote');
    assert.equal(votes.length, 4, "four votes were accepted above");
    assert.ok(votes.every((x: { data: { approvalId: string } }) => /^APR-/.test(x.data.approvalId)));
  });
});

describe('webhooks', () => {
  it('deliver signed events with an idempotency key', async () => {
    const deadline = Date.now() + 5000;
    while (!received.some((r) => JSON.parse(r.body).type === 'approval.decided') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const types = new Set(received.map((r) => JSON.parse(r.body).type));
    for (const t of ['approval.created', 'approval.decided', 'incident.created']) assert.ok(types.has(t), `missing ${t}: ${[...types]}`);
    for (const r of received) {
      const ts = r.headers['x-esq-timestamp'] as string;
      assert.equal(r.headers['x-esq-signature'], `sha256=${signature(SECRET, ts, r.body)}`);
      assert.equal(r.headers['idempotency-key'], JSON.parse(r.body).id);
    }
  });
});

describe('webhook failures', () => {
  it('retry with backoff and dead-letter after the last attempt — nothing dropped silently', async () => {
    const { WebhookSink } = await import('../../src/server/webhooks.js');
    const { readFileSync } = await import('node:fs');
    const file = `${tmp.dir}/dead.jsonl`;
    let attempts = 0;
    const results: string[] = [];
    const sink = new WebhookSink({
      url: 'http://127.0.0.1:9/never',
      secret: SECRET,
      maxAttempts: 3,
      baseDelayMs: 5,
      deadLetterFile: file,
      fetch: (async () => {
        attempts++;
        return new Response('down', { status: 503 });
      }) as typeof fetch,
      onResult: (_e, r) => results.push(r),
    });
    sink.send('incident.created', { id: 'INC-1' }, 'evt-1');
    await sink.drain();
    assert.equal(attempts, 3);
    assert.deepEqual(results, ['dead-letter']);
    const dead = JSON.parse(readFileSync(file, 'utf8').trim());
    assert.equal(dead.event.id, 'evt-1');
    assert.equal(dead.lastError, 'HTTP 503');
  });
});
