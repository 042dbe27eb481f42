/**
 * The decision service through its HTTP API (Fastify inject: no sockets), on the embedded store.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateApiKey } from '../../src/server/auth/api-keys.js';
import { startService, type Service } from '../../src/server/service.js';
import { tempHome } from '../helpers.js';

const tmp = tempHome('esq-svc-');
let svc: Service;
const ADMIN = 'esq_admin_0123456789abcdefghijklmnopqrstuv';
const keys: Record<string, string> = {};

async function addKey(name: string, roles: string[], tenant: string | null) {
  const k = generateApiKey();
  await svc.store.putApiKey({ id: k.id, hash: k.hash, roles, tenant, label: name, createdAt: new Date() });
  keys[name] = k.key;
}

function call(method: 'GET' | 'POST', url: string, key?: string, body?: unknown) {
  return svc.app.inject({ method, url, headers: key ? { authorization: `Bearer ${key}` } : {}, ...(body !== undefined ? { payload: body as object } : {}) });
}

before(async () => {
  svc = await startService({ home: tmp.dir, env: 'prod', pack: 'hipaa', adminKey: ADMIN, watch: false });
  await addKey('deciderA', ['decide'], 'tenant-a');
  await addKey('readerA', ['read'], 'tenant-a');
  await addKey('readerB', ['read'], 'tenant-b');
  await addKey('deciderB', ['decide'], 'tenant-b');
});
after(async () => {
  await svc.close();
  tmp.cleanup();
});

describe('authentication and authorization', () => {
  it('refuses a request without a key with 401 and a reason', async () => {
    const r = await call('POST', '/v1/decide', undefined, { name: 'x' });
    assert.equal(r.statusCode, 401);
    assert.equal(r.json().error.code, 'ESQ_UNAUTHENTICATED');
    assert.match(r.headers['www-authenticate'] as string, /Bearer/);
  });

  it('refuses an unknown key with 401', async () => {
    const r = await call('GET', '/v1/incidents', 'esq_nope_nope');
    assert.equal(r.statusCode, 401);
    assert.equal(r.json().error.message, 'invalid API key');
  });

  it('refuses a key without the needed role with 403', async () => {
    const r = await call('POST', '/v1/decide', keys.readerA, { name: 'x' });
    assert.equal(r.statusCode, 403);
    assert.match(r.json().error.message, /"decide" role/);
    assert.equal((await call('GET', '/v1/incidents', keys.deciderA)).statusCode, 403);
  });

  it('keeps health public and everything else behind credentials', async () => {
    assert.equal((await call('GET', '/healthz')).statusCode, 200);
    assert.equal((await call('GET', '/readyz')).statusCode, 200);
    assert.equal((await call('GET', '/metrics')).statusCode, 401);
    assert.equal((await call('GET', '/v1/policies')).statusCode, 401);
    assert.equal((await call('GET', '/v1/audit/verify')).statusCode, 401);
  });

  it('tells a key who it is (GET /v1/whoami), never without one', async () => {
    assert.equal((await call('GET', '/v1/whoami')).statusCode, 401);
    const r = await call('GET', '/v1/whoami', keys.readerA);
    assert.equal(r.statusCode, 200);
    const { keyId, ...rest } = r.json() as { keyId: string };
    assert.deepEqual(rest, { label: 'readerA', roles: ['read'], tenant: 'tenant-a' });
    assert.match(keyId, /\S/);
  });

  it('does not let a tenant-A key decide for or read tenant B', async () => {
    const cross = await call('POST', '/v1/decide', keys.deciderA, { name: 'export_phi', dest: 's3://public_dump', tenant: 'tenant-b' });
    assert.equal(cross.statusCode, 403);
    // Tenant B files an incident; A cannot see it, in the list or by id.
    const b = await call('POST', '/v1/decide', keys.deciderB, { name: 'export_phi', dest: 's3://public_dump' });
    assert.equal(b.statusCode, 200);
    const id = b.json().incidentId as string;
    assert.ok(id);
    assert.equal((await call('GET', `/v1/incidents/${id}`, keys.readerA)).statusCode, 404);
    assert.equal((await call('GET', `/v1/incidents/${id}`, keys.readerB)).statusCode, 200);
    const listA = (await call('GET', '/v1/incidents', keys.readerA)).json();
    assert.ok(listA.items.every((i: { caller: { tenant?: string } }) => i.caller.tenant === 'tenant-a'));
    assert.equal((await call('GET', '/v1/incidents?tenant=tenant-b', keys.readerA)).statusCode, 403);
    assert.equal((await call('GET', '/v1/audit', keys.readerA)).statusCode, 403, 'the cross-tenant audit log needs an unscoped key');
  });

  it('throttles an address after repeated failures with 429 and Retry-After', async () => {
    let last;
    for (let i = 0; i < 25; i++) last = await svc.app.inject({ method: 'GET', url: '/v1/policies', headers: { authorization: 'Bearer wrong' }, remoteAddress: '10.9.9.9' });
    assert.equal(last!.statusCode, 429);
    assert.ok(Number(last!.headers['retry-after']) > 0);
    const ok = await svc.app.inject({ method: 'GET', url: '/v1/policies', headers: { authorization: `Bearer ${ADMIN}` }, remoteAddress: '10.9.9.8' });
    assert.equal(ok.statusCode, 200, 'other addresses are unaffected');
  });
});

describe('POST /v1/decide', () => {
  it('answers 200 for allow and block (with incident id), 202 for defer', async () => {
    const allow = await call('POST', '/v1/decide', keys.deciderA, { name: 'export_phi', dest: 's3://hipaa_zone/r', principal: { id: 'dr', roles: ['clinician'] } });
    assert.equal(allow.statusCode, 200);
    assert.equal(allow.json().effect, 'allow');
    assert.equal(allow.json().auditSeq > 0, true);
    const block = await call('POST', '/v1/decide', keys.deciderA, { name: 'export_phi', dest: 's3://public_dump', principal: { id: 'dr' } });
    assert.equal(block.statusCode, 200);
    assert.equal(block.json().ruleId, 'HIPAA-SC-12');
    const inc = await call('GET', `/v1/incidents/${block.json().incidentId}`, keys.readerA);
    assert.equal(inc.statusCode, 200);
    assert.equal(inc.json().caller.tenant, 'tenant-a', 'a scoped key decides for its own tenant');
    assert.ok(!JSON.stringify(inc.json()).includes('public_dump'), 'no raw values in the stored incident');
    const defer = await call('POST', '/v1/decide', keys.deciderA, { name: 'delete_phi', principal: { id: 'dr' } });
    assert.equal(defer.statusCode, 202);
  });

  it('scans content with the guardrails before deciding', async () => {
    const r = await call('POST', '/v1/decide', ADMIN, { name: 'send_report', dest: 'https://partner.example/api', content: 'Patient SSN 212-45-7310 attached', principal: { id: 'svc' } });
    assert.equal(r.statusCode, 200);
    assert.equal(r.json().effect, 'block');
    assert.equal(r.json().ruleId, 'HIPAA-164.514-SSN-EGRESS');
    assert.ok(r.json().findings.some((f: { entity: string }) => f.entity === 'US_SSN'));
  });

  it('answers malformed requests with 400 and a reason', async () => {
    const noName = await call('POST', '/v1/decide', ADMIN, { dest: 'x' });
    assert.equal(noName.statusCode, 400);
    assert.match(noName.json().error.message, /name/);
    const bad = await svc.app.inject({ method: 'POST', url: '/v1/decide', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, payload: '{"name": ' });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.code, 'ESQ_BAD_REQUEST'); // ours, not the framework's FST_ERR_…
    assert.match(bad.json().error.message, /JSON/);
    const text = await svc.app.inject({ method: 'POST', url: '/v1/decide', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'text/plain' }, payload: 'export_phi' });
    assert.equal(text.statusCode, 415);
    assert.equal(text.json().error.code, 'ESQ_UNSUPPORTED_MEDIA_TYPE');
    const huge = await svc.app.inject({ method: 'POST', url: '/v1/decide', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, payload: JSON.stringify({ name: 'x', content: 'a'.repeat(3 * 1024 * 1024) }) });
    assert.equal(huge.statusCode, 413);
    assert.equal(huge.json().error.code, 'ESQ_PAYLOAD_TOO_LARGE');
    const wrongType = await call('POST', '/v1/decide', ADMIN, { name: 'x', data: { tags: 'phi' } });
    assert.equal(wrongType.statusCode, 400);
  });
});

describe('guardrail endpoints', () => {
  it('detects and scrubs', async () => {
    const d = await call('POST', '/v1/detect', keys.deciderA, { text: 'SSN 212-45-7310, mail jane.doe@example.com' });
    assert.equal(d.statusCode, 200);
    assert.deepEqual(d.json().findings.map((f: { entity: string }) => f.entity).sort(), ['EMAIL_ADDRESS', 'US_SSN']);
    const s = await call('POST', '/v1/scrub', keys.deciderA, { text: 'SSN 212-45-7310', operators: { US_SSN: 'mask:4' } });
    assert.equal(s.statusCode, 200);
    assert.equal(s.json().text, 'SSN ***-**-7310');
    const bad = await call('POST', '/v1/scrub', keys.deciderA, { text: 'x', operators: { US_SSN: 'shred' } });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.json().error.message, /shred/);
  });
});

describe('audit, policies, metrics, OpenAPI', () => {
  it('verifies the chain and exports JSON Lines', async () => {
    const v = await call('GET', '/v1/audit/verify', ADMIN);
    assert.equal(v.statusCode, 200);
    assert.equal(v.json().ok, true);
    assert.ok(v.json().checked >= 4);
    const e = await call('GET', '/v1/audit?format=jsonl&limit=3', ADMIN);
    assert.match(e.headers['content-type'] as string, /^application\/x-ndjson/);
    const lines = e.body.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((r) => r.seq), [1, 2, 3]);
    assert.ok(!e.body.includes('public_dump'));
  });

  it('lists the loaded pack with version hashes and reload status', async () => {
    const p = (await call('GET', '/v1/policies', keys.readerA)).json();
    assert.equal(p.pack.name, 'hipaa');
    assert.match(p.pack.version, /^[0-9a-f]{16}$/);
    assert.ok(p.rulebooks.every((b: { sha256: string }) => /^[0-9a-f]{64}$/.test(b.sha256)));
    assert.equal(p.reload.ok, true);
  });

  it('exposes Prometheus metrics with the seed names', async () => {
    const m = await call('GET', '/metrics', ADMIN);
    assert.equal(m.statusCode, 200);
    for (const name of ['esq_decisions_total', 'esq_guardrail_violations_total', 'esq_policy_enforcement_latency_seconds_bucket', 'esq_risk_approvals_pending', 'esq_cost_budget_exceeded_total', 'esq_http_requests_total']) {
      assert.ok(m.body.includes(name), `missing ${name}`);
    }
    assert.match(m.body, /esq_decisions_total\{effect="block"\} [1-9]/);
  });

  it('publishes OpenAPI', async () => {
    const o = await call('GET', '/openapi.json');
    assert.equal(o.statusCode, 200);
    const doc = o.json();
    assert.equal(doc.openapi, '3.1.0');
    for (const path of ['/v1/decide', '/v1/detect', '/v1/scrub', '/v1/incidents', '/v1/incidents/{id}', '/v1/audit', '/v1/audit/verify', '/v1/policies']) assert.ok(doc.paths[path], `OpenAPI lacks ${path}`);
  });
});
