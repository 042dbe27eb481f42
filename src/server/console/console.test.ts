/**
 * The console plugin through Fastify inject: sign-in, cookie flags, CSRF, roles, tenant isolation,
 * the self-approval rule for console users, sessions ending, and static serving.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import { FileCheckpointPublisher, defaultCheckpointFile } from '../../audit/chain/file-publisher.js';
import { loadOrCreateAuditKey } from '../../audit/chain/key-file.js';
import type { Approval } from '../../controls/approvals/approval.js';
import type { Governor } from '../../engine/governor.js';
import type { Incident } from '../../engine/types.js';
import { LivePolicy } from '../../policy/live-policy.js';
import { SqliteStore } from '../../store/sqlite/sqlite-store.js';
import { logger } from '../../util/log.js';
import type { ServiceDeps } from '../app.js';
import { AuditLog } from '../audit-log.js';
import { generateApiKey } from '../auth/api-keys.js';
import { Authenticator } from '../auth/authenticator.js';
import { toHttp } from '../http-errors.js';
import { createMetrics } from '../metrics.js';
import { isConsolePath, registerConsole, type ConsoleOptions } from './index.js';
import { hashPassword } from './passwords.js';
import { sessionHash } from './sessions.js';

const home = mkdtempSync(join(tmpdir(), 'esq-console-'));
const web = join(home, 'web');
mkdirSync(join(web, 'assets'), { recursive: true });
writeFileSync(join(web, 'index.html'), '<!doctype html><title>ESQ console</title><div id="app"></div>');
writeFileSync(join(web, 'assets', 'index-Ab12Cd34.js'), 'console.log("esq")');
writeFileSync(join(web, 'assets', 'index-Ab12Cd34.css'), 'body{}');
writeFileSync(join(web, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
writeFileSync(join(home, 'secret.txt'), 'not for the web');

const PASSWORD = 'correct horse battery staple';
let store: SqliteStore;
let policy: LivePolicy;
let audit: AuditLog;
let clock = Date.parse('2026-11-22T10:00:00.000Z');
let deps: ServiceDeps;
const apps: FastifyInstance[] = [];

async function makeApp(opts: ConsoleOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  app.setErrorHandler((err, _req, reply) => {
    const h = toHttp(err);
    for (const [k, v] of Object.entries(h.headers)) reply.header(k, v);
    void reply.status(h.status).send({ error: { code: h.code, message: h.message } });
  });
  await registerConsole(app, deps, { webRoot: web, ...opts });
  await app.ready();
  apps.push(app);
  return app;
}

let app: FastifyInstance;

interface Signed {
  cookie: string;
  csrf: string;
  id: string;
}

function setCookies(r: LightMyRequestResponse): string[] {
  const h = r.headers['set-cookie'];
  return h === undefined ? [] : Array.isArray(h) ? h : [h];
}

async function signIn(body: Record<string, string>, a = app): Promise<LightMyRequestResponse> {
  const c = await a.inject({ method: 'GET', url: '/console/api/csrf' });
  const pre = /esq_console_csrf=([^;]+)/.exec(setCookies(c)[0]!)![1]!;
  return a.inject({ method: 'POST', url: '/console/api/signin', headers: { cookie: `esq_console_csrf=${pre}`, 'x-csrf-token': pre }, payload: body });
}

async function session(user: string, a = app): Promise<Signed> {
  const r = await signIn({ username: user, password: PASSWORD }, a);
  assert.equal(r.statusCode, 200, r.body);
  const id = /esq_console=([^;]+)/.exec(setCookies(r).find((c) => c.startsWith('esq_console='))!)![1]!;
  return { cookie: `esq_console=${id}`, csrf: r.json().csrfToken, id };
}

function call(s: Signed | undefined, method: 'GET' | 'POST', url: string, body?: object, headers: Record<string, string> = {}) {
  return app.inject({
    method,
    url,
    headers: { ...(s ? { cookie: s.cookie } : {}), ...(s && method === 'POST' ? { 'x-csrf-token': s.csrf } : {}), ...headers },
    ...(body ? { payload: body } : {}),
  });
}

function approval(id: string, tenant: string | null, requester = 'key-agent', required = 1): Approval {
  return {
    id,
    tenant,
    requester,
    actionHash: 'a'.repeat(64),
    summary: { action: 'delete_phi', reason: 'needs approval', riskClass: required > 1 ? 'critical' : 'high' },
    riskClass: required > 1 ? 'critical' : 'high',
    required,
    status: 'pending',
    createdAt: new Date(clock).toISOString(),
    expiresAt: new Date(clock + 24 * 3600_000).toISOString(),
    votes: [],
  };
}

function incident(id: string, tenant: string): Incident {
  return {
    id,
    time: new Date(clock - 60_000).toISOString(),
    action: 'export_phi',
    caller: { principal: 'agent', tenant },
    ruleId: 'HIPAA-SC-12',
    severity: 'high',
    reason: 'PHI to public bucket',
    effect: 'block',
    env: 'prod',
    policy: { name: 'hipaa', version: '1' },
    argHashes: { dest: `hmac-sha256:${'ab'.repeat(32)}` },
    hashKeyId: 'k1',
    trace: [{ ruleId: 'HIPAA-SC-12', effect: 'block', mode: 'enforce', tier: 'statute' }],
  };
}

before(async () => {
  store = new SqliteStore({ path: join(home, 'esq.db') });
  await store.migrate();
  policy = LivePolicy.open('hipaa');
  audit = new AuditLog(store, { key: loadOrCreateAuditKey({ home }), publisher: new FileCheckpointPublisher(defaultCheckpointFile(home)) });
  deps = {
    governor: {} as Governor, // the console never decides
    policy,
    store,
    audit,
    auth: new Authenticator(store),
    metrics: createMetrics(),
    log: logger(),
    accepting: () => true,
    now: () => new Date(clock),
  };
  const hash = await hashPassword(PASSWORD);
  const users: Array<[string, string[], string | null]> = [
    ['alice', ['approve', 'read'], null],
    ['bob', ['approve', 'read'], null],
    ['reader', ['read'], null],
    ['approver', ['approve'], null],
    ['va-approver', ['approve', 'read'], 'va'],
  ];
  for (const [name, roles, tenant] of users) await store.putConsoleUser({ name, passwordHash: hash, roles, tenant, createdAt: new Date(clock) });
  app = await makeApp();
});

after(async () => {
  for (const a of apps) await a.close();
  await audit.close();
  await policy.close();
  await store.close();
  rmSync(home, { recursive: true, force: true });
});

describe('console sign-in', () => {
  it('refuses pages and API calls without a session: a redirect to sign-in for pages, 401 for the API', async () => {
    const page = await call(undefined, 'GET', '/console/approvals?x=1');
    assert.equal(page.statusCode, 302);
    assert.equal(page.headers.location, '/console/signin?next=%2Fconsole%2Fapprovals');
    assert.equal((await call(undefined, 'GET', '/console/')).headers.location, '/console/signin?next=%2Fconsole%2F');
    for (const url of ['/console/api/session', '/console/api/overview', '/console/api/v1/approvals', '/console/api/v1/incidents', '/console/api/nothing-here']) {
      const r = await call(undefined, 'GET', url);
      assert.equal(r.statusCode, 401, url);
      assert.equal(r.json().error.code, 'ESQ_UNAUTHENTICATED');
    }
    const forged = await call(undefined, 'GET', '/console/api/session', undefined, { cookie: `esq_console=${'A'.repeat(43)}` });
    assert.equal(forged.statusCode, 401, 'an unknown session id is refused');
    const signin = await call(undefined, 'GET', '/console/signin');
    assert.equal(signin.statusCode, 200, 'the sign-in page itself is public');
    assert.match(signin.body, /ESQ console/);
  });

  it('signs in with a password into an HttpOnly, SameSite=Strict session cookie whose id is stored only as a hash', async () => {
    const r = await signIn({ username: 'alice', password: PASSWORD });
    assert.equal(r.statusCode, 200);
    const cookies = setCookies(r);
    const c = cookies.find((x) => x.startsWith('esq_console='))!;
    assert.match(c, /; HttpOnly/);
    assert.match(c, /; SameSite=Strict/);
    assert.match(c, /; Path=\/console(;|$)/);
    assert.match(c, /; Max-Age=28800/);
    assert.doesNotMatch(c, /Secure/, 'no Secure flag over plain HTTP, or the browser would drop the cookie');
    assert.ok(cookies.some((x) => /^esq_console_csrf=; .*Max-Age=0/.test(x)), 'the sign-in token is cleared');
    const id = /esq_console=([^;]+)/.exec(c)![1]!;
    assert.equal(Buffer.from(id, 'base64url').length, 32, '256-bit session id');
    const stored = await store.getConsoleSession(sessionHash(id), new Date(clock));
    assert.equal(stored?.subject, 'user:alice');
    assert.equal(await store.getConsoleSession(id, new Date(clock)), undefined, 'the raw id is not a key in the store');
    assert.deepEqual(r.json().user, { name: 'alice', kind: 'user', id: 'user:alice', roles: ['approve', 'read'], tenant: null, expiresAt: new Date(clock + 8 * 3600_000).toISOString() });
    const me = await call({ cookie: `esq_console=${id}`, csrf: '', id }, 'GET', '/console/api/session');
    assert.equal(me.json().user.id, 'user:alice');
    assert.equal(me.json().csrfToken, r.json().csrfToken, 'the CSRF token belongs to the session');
    const other = await session('bob');
    assert.notEqual(other.csrf, r.json().csrfToken);
    // Signing in again from the same browser replaces its session: the old id stops working.
    const pre = /esq_console_csrf=([^;]+)/.exec(setCookies(await app.inject({ method: 'GET', url: '/console/api/csrf' }))[0]!)![1]!;
    const again = await app.inject({
      method: 'POST',
      url: '/console/api/signin',
      headers: { cookie: `esq_console=${id}; esq_console_csrf=${pre}`, 'x-csrf-token': pre },
      payload: { username: 'alice', password: PASSWORD },
    });
    assert.equal(again.statusCode, 200);
    assert.equal(await store.getConsoleSession(sessionHash(id), new Date(clock)), undefined);
    assert.equal((await call({ cookie: `esq_console=${id}`, csrf: '', id }, 'GET', '/console/api/session')).statusCode, 401);
  });

  it('marks cookies Secure when configured for TLS in front', async () => {
    const tls = await makeApp({ secureCookies: true });
    const r = await signIn({ username: 'alice', password: PASSWORD }, tls);
    assert.match(setCookies(r).find((x) => x.startsWith('esq_console='))!, /; Secure/);
  });

  it('refuses wrong passwords, unknown users and forged sign-ins alike', async () => {
    const wrong = await signIn({ username: 'alice', password: 'not the password' });
    const unknown = await signIn({ username: 'mallory', password: PASSWORD });
    assert.equal(wrong.statusCode, 401);
    assert.equal(unknown.statusCode, 401);
    assert.equal(wrong.json().error.message, unknown.json().error.message, 'the answer does not say which names exist');
    assert.equal(setCookies(wrong).length, 0);
    const noToken = await app.inject({ method: 'POST', url: '/console/api/signin', payload: { username: 'alice', password: PASSWORD } });
    assert.equal(noToken.statusCode, 403, 'a sign-in without the double-submit token is refused');
    assert.equal(noToken.json().error.code, 'ESQ_CSRF');
    const c = await app.inject({ method: 'GET', url: '/console/api/csrf' });
    const pre = /esq_console_csrf=([^;]+)/.exec(setCookies(c)[0]!)![1]!;
    const mismatch = await app.inject({ method: 'POST', url: '/console/api/signin', headers: { cookie: `esq_console_csrf=${pre}`, 'x-csrf-token': 'x'.repeat(43) }, payload: { username: 'alice', password: PASSWORD } });
    assert.equal(mismatch.statusCode, 403);
    const crossSite = await app.inject({
      method: 'POST',
      url: '/console/api/signin',
      headers: { cookie: `esq_console_csrf=${pre}`, 'x-csrf-token': pre, origin: 'https://evil.example' },
      payload: { username: 'alice', password: PASSWORD },
    });
    assert.equal(crossSite.statusCode, 403);
    const both = await signIn({ username: 'alice', password: PASSWORD, apiKey: 'esq_x' });
    assert.equal(both.statusCode, 400, 'one method per sign-in');
  });

  it('signs in with an API key, acting as that key; revoking the key ends the session', async () => {
    const k = generateApiKey();
    await store.putApiKey({ id: k.id, hash: k.hash, roles: ['read'], tenant: 'va', label: 'auditor', createdAt: new Date(clock) });
    const r = await signIn({ apiKey: k.key });
    assert.equal(r.statusCode, 200, r.body);
    assert.deepEqual([r.json().user.kind, r.json().user.id, r.json().user.tenant], ['apiKey', k.id, 'va']);
    const s: Signed = { cookie: /^(esq_console=[^;]+)/.exec(setCookies(r).find((x) => x.startsWith('esq_console='))!)![1]!, csrf: r.json().csrfToken, id: '' };
    assert.equal((await call(s, 'GET', '/console/api/v1/incidents')).statusCode, 200);
    await store.revokeApiKey(k.id, new Date(clock));
    assert.equal((await call(s, 'GET', '/console/api/v1/incidents')).statusCode, 401);
    assert.equal((await signIn({ apiKey: 'esq_nope_nope' })).statusCode, 401);
  });

  it('ends sessions on sign-out, on expiry and when the user is removed', async () => {
    const s = await session('bob');
    assert.equal((await call(s, 'POST', '/console/api/signout', undefined, { 'x-csrf-token': 'wrong' })).statusCode, 403, 'sign-out is CSRF-protected too');
    const out = await call(s, 'POST', '/console/api/signout');
    assert.equal(out.statusCode, 204);
    assert.match(setCookies(out)[0]!, /^esq_console=; .*Max-Age=0/);
    assert.equal((await call(s, 'GET', '/console/api/session')).statusCode, 401);

    const s2 = await session('bob');
    clock += 8 * 3600_000 + 1;
    try {
      assert.equal((await call(s2, 'GET', '/console/api/session')).statusCode, 401, 'sessions expire after 8 hours');
      assert.equal((await call(s2, 'GET', '/console/incidents')).statusCode, 302);
    } finally {
      clock -= 8 * 3600_000 + 1;
    }

    await store.putConsoleUser({ name: 'temp', passwordHash: await hashPassword(PASSWORD), roles: ['read'], createdAt: new Date(clock) });
    const s3 = await session('temp');
    assert.equal((await call(s3, 'GET', '/console/api/session')).statusCode, 200);
    await store.deleteConsoleUser('temp');
    assert.equal((await call(s3, 'GET', '/console/api/session')).statusCode, 401);
  });

  it('slows down password guessing from one address', async () => {
    const limited = await makeApp({ maxSignInFailures: 3 });
    for (let i = 0; i < 3; i++) assert.equal((await signIn({ username: 'alice', password: `guess-${i}` }, limited)).statusCode, 401);
    const r = await signIn({ username: 'alice', password: PASSWORD }, limited);
    assert.equal(r.statusCode, 429);
    assert.ok(Number(r.headers['retry-after']) > 0);
  });
});

describe('console API', () => {
  it('refuses state changes without the session CSRF token or from another origin', async () => {
    await store.createApproval(approval('APR-csrf', null));
    const s = await session('alice');
    const path = '/console/api/v1/approvals/APR-csrf/approve';
    const none = await app.inject({ method: 'POST', url: path, headers: { cookie: s.cookie }, payload: { reason: 'ok' } });
    assert.equal(none.statusCode, 403);
    assert.equal(none.json().error.code, 'ESQ_CSRF');
    const bob = await session('bob');
    assert.equal((await call(s, 'POST', path, { reason: 'ok' }, { 'x-csrf-token': bob.csrf })).statusCode, 403, "another session's token does not work");
    assert.equal((await call(s, 'POST', path, { reason: 'ok' }, { origin: 'https://evil.example' })).statusCode, 403);
    assert.equal((await call(s, 'POST', path, { reason: 'ok' }, { 'sec-fetch-site': 'cross-site' })).statusCode, 403);
    assert.equal((await store.getApproval('APR-csrf', new Date(clock)))!.votes.length, 0, 'no refused request voted');
    assert.equal((await call(s, 'POST', path, { reason: 'ok' }, { origin: 'null' })).statusCode, 403);
    // Same host, https scheme: what a browser sends when TLS ends in a proxy in front of ESQ.
    const ok = await call(s, 'POST', path, { reason: 'ok' }, { origin: 'https://localhost' });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().status, 'approved');
  });

  it('votes as user:<name>, so a console user cannot approve their own request', async () => {
    await store.createApproval(approval('APR-own', null, 'user:alice', 2));
    const alice = await session('alice');
    const self = await call(alice, 'POST', '/console/api/v1/approvals/APR-own/approve', { reason: 'mine' });
    assert.equal(self.statusCode, 409);
    assert.equal(self.json().error.code, 'ESQ_APPROVAL_SELF_APPROVAL');
    const bob = await session('bob');
    const v = await call(bob, 'POST', '/console/api/v1/approvals/APR-own/approve', { reason: 'checked' });
    assert.equal(v.statusCode, 200);
    assert.deepEqual(v.json().votes.map((x: { approver: string }) => x.approver), ['user:bob']);
    const records = await store.readAudit({ fromSeq: 1, limit: 1000 });
    assert.ok(records.some((r) => r.kind === 'approval.vote' && r.principal === 'user:bob' && r.data.approvalId === 'APR-own'), 'the vote is audited under the user');
  });

  it('enforces roles server-side with the /v1 rules', async () => {
    await store.createApproval(approval('APR-roles', null));
    const reader = await session('reader');
    assert.equal((await call(reader, 'GET', '/console/api/v1/approvals?status=pending')).statusCode, 200, 'readers may see the queue');
    const vote = await call(reader, 'POST', '/console/api/v1/approvals/APR-roles/approve', { reason: 'x' });
    assert.equal(vote.statusCode, 403);
    assert.equal(vote.json().error.code, 'ESQ_FORBIDDEN');
    const approver = await session('approver');
    assert.equal((await call(approver, 'GET', '/console/api/v1/approvals?status=pending')).statusCode, 200);
    for (const url of ['/console/api/overview', '/console/api/v1/incidents', '/console/api/v1/policies', '/console/api/v1/audit/verify']) {
      assert.equal((await call(approver, 'GET', url)).statusCode, 403, url);
    }
    assert.equal((await call(reader, 'GET', '/console/api/overview')).statusCode, 200);
  });

  it('keeps a tenant-scoped user inside their tenant', async () => {
    await store.createApproval(approval('APR-va', 'va'));
    await store.createApproval(approval('APR-dod', 'dod'));
    await store.putIncident(incident('INC-va', 'va'));
    await store.putIncident(incident('INC-dod', 'dod'));
    const u = await session('va-approver');
    const list = (await call(u, 'GET', '/console/api/v1/approvals?status=pending')).json();
    assert.ok(list.items.length > 0);
    assert.ok(list.items.every((a: Approval) => a.tenant === 'va'));
    assert.equal((await call(u, 'GET', '/console/api/v1/approvals/APR-dod')).statusCode, 404);
    assert.equal((await call(u, 'POST', '/console/api/v1/approvals/APR-dod/deny', { reason: 'x' })).statusCode, 404);
    assert.equal((await call(u, 'GET', '/console/api/v1/approvals?tenant=dod')).statusCode, 403);
    assert.deepEqual((await call(u, 'GET', '/console/api/v1/incidents')).json().items.map((i: Incident) => i.id), ['INC-va']);
    assert.equal((await call(u, 'GET', '/console/api/v1/incidents/INC-dod')).statusCode, 404);
    assert.equal((await call(u, 'GET', '/console/api/v1/audit/verify')).statusCode, 403);
    const o = (await call(u, 'GET', '/console/api/overview')).json();
    assert.equal(o.audit.status, 'restricted');
    assert.equal(o.approvals.pending, 1, 'the backlog counts their tenant only');
  });

  it('computes the overview from the audit log and the policy status', async () => {
    await audit.append({ kind: 'decision', time: new Date(clock - 90_000), action: 'export_phi', effect: 'block', data: { evalMicros: 12, findings: [{ entity: 'US_SSN' }, { entity: 'EMAIL' }] } });
    await audit.append({ kind: 'decision', time: new Date(clock - 30_000), action: 'read', effect: 'allow', data: { evalMicros: 4 } });
    const o = (await call(await session('alice'), 'GET', '/console/api/overview?minutes=10')).json();
    assert.equal(o.t.length, 10);
    assert.equal(o.decisions.reduce((a: number, b: number) => a + b, 0), 2);
    assert.equal(o.blocked.reduce((a: number, b: number) => a + b, 0), 1);
    assert.equal(o.guardrail.reduce((a: number, b: number) => a + b, 0), 2);
    assert.equal(o.latency.samples, 2);
    assert.equal(o.audit.status, 'ok');
    assert.ok(o.audit.checked >= 2);
    assert.equal(o.policy.name, 'hipaa');
    assert.equal(o.policy.ok, true);
    assert.ok(o.approvals.pending >= 1);
    assert.equal((await call(await session('alice'), 'GET', '/console/api/overview?minutes=2000')).statusCode, 400);
  });
});

describe('console pages and assets', () => {
  it('serves hashed assets as immutable with their content types, and the app shell only to signed-in users', async () => {
    const js = await call(undefined, 'GET', '/console/assets/index-Ab12Cd34.js');
    assert.equal(js.statusCode, 200);
    assert.equal(js.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(js.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(js.headers['x-content-type-options'], 'nosniff');
    assert.equal((await call(undefined, 'GET', '/console/assets/index-Ab12Cd34.css')).headers['content-type'], 'text/css; charset=utf-8');
    const icon = await call(undefined, 'GET', '/console/favicon.svg');
    assert.equal(icon.headers['content-type'], 'image/svg+xml');
    assert.equal(icon.headers['cache-control'], 'no-cache');
    assert.equal((await call(undefined, 'GET', '/console/assets/missing-1234.js')).statusCode, 404);
    for (const evil of ['/console/..%2Fsecret.txt', '/console/assets/..%2F..%2Fsecret.txt', '/console/%2e%2e/secret.txt', '/console/.hidden.js']) {
      const r = await call(undefined, 'GET', evil);
      assert.notEqual(r.statusCode, 200, evil);
      assert.doesNotMatch(r.body, /not for the web/, evil);
    }
    const s = await session('alice');
    for (const page of ['/console/', '/console/approvals', '/console/incidents/INC-va']) {
      const r = await call(s, 'GET', page);
      assert.equal(r.statusCode, 200, page);
      assert.equal(r.headers['content-type'], 'text/html; charset=utf-8');
      assert.equal(r.headers['cache-control'], 'no-store');
      assert.match(String(r.headers['content-security-policy']), /script-src 'self'/);
      assert.match(String(r.headers['content-security-policy']), /frame-ancestors 'none'/);
      assert.match(r.body, /<div id="app">/);
    }
    const bare = await call(s, 'GET', '/console');
    assert.equal(bare.statusCode, 302);
    assert.equal(bare.headers.location, '/console/');
    assert.equal((await call(s, 'GET', '/console/api/v1/approvals')).headers['cache-control'], 'no-store');
  });

  it('says how to build the console when dist/web is missing', async () => {
    const unbuilt = await makeApp({ webRoot: join(home, 'no-such-build') });
    const r = await signIn({ username: 'alice', password: PASSWORD }, unbuilt);
    const cookie = /^(esq_console=[^;]+)/.exec(setCookies(r).find((x) => x.startsWith('esq_console='))!)![1]!;
    const page = await unbuilt.inject({ method: 'GET', url: '/console/', headers: { cookie } });
    assert.equal(page.statusCode, 503);
    assert.match(page.body, /vite build --config web\/vite\.config\.ts/);
  });

  it('names exactly the paths it authenticates itself', () => {
    assert.deepEqual(['/console', '/console/', '/console/api/session', '/consoles', '/v1/console', '/'].map(isConsolePath), [true, true, true, false, false, false]);
  });
});
