import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { Client } from 'undici';
import { packOf, book, tempHome } from '../../../test/helpers.js';
import { hmacArgHasher } from '../../audit/arg-hasher.js';
import { newIncidentId } from '../../audit/incident-id.js';
import { MemoryIncidentSink } from '../../audit/memory-incident-sink.js';
import { Governor } from '../../engine/governor.js';
import type { Action } from '../../engine/types.js';
import { ConfigError } from '../../errors.js';
import { LocalCa, type WorkloadCredentials } from '../pki/ca.js';
import { CrlFile } from '../pki/revocation.js';
import { checkSpiffeServer } from '../pki/tls-options.js';
import { inspectCertificate } from '../pki/inspect.js';
import { TokenSigner } from '../tokens/sign.js';
import { MemoryReplayCache } from '../tokens/replay-cache.js';
import { zeroTrustInterceptor } from '../tokens/inject.js';
import { ZT_HEADER } from '../tokens/claims.js';
import { startIngress, type Ingress } from './server.js';
import { eventually, forgeLeaf, mtlsCall, recordingUpstream, type Outcome } from './testkit.js';
import type { IngressDenial } from './types.js';
import type { MirrorEvent, MirrorTap } from '../mirror/types.js';

const TD = 'esq.local';
const SVC = `spiffe://${TD}/ns/default/sa/billing`;
const FRONTEND = `spiffe://${TD}/ns/default/sa/frontend`;
const INTRUDER = `spiffe://${TD}/ns/default/sa/intruder`;

const home = tempHome('esq-ingress-');
after(() => home.cleanup()); // top level: runs after both suites
let ca: LocalCa;
let upstream: Awaited<ReturnType<typeof recordingUpstream>>;
let ingress: Ingress;
let crl: CrlFile;
const audit: IngressDenial[] = [];
const actions: Action[] = [];
let server: WorkloadCredentials;
let frontend: WorkloadCredentials;
let cordonReason: string | undefined;

const status = (o: Outcome) => ('status' in o ? o.status : o.error);

describe('mTLS ingress on loopback', () => {
  before(async () => {
    ca = await LocalCa.init(join(home.dir, 'pki'), { trustDomain: TD });
    server = await ca.issue({ spiffeId: SVC });
    frontend = await ca.issue({ spiffeId: FRONTEND });
    upstream = await recordingUpstream();
    crl = await CrlFile.open(ca.crlPath, ca.issuerCertPem());
    const governor = new Governor({
      policy: { current: packOf([book('agency', [{ id: 'NO-ADMIN', when: 'action.name == "ingress.request" && action.args.path.startsWith("/admin")', effect: 'block', message: 'admin API is closed' }])]) },
      env: 'dev',
      incidents: new MemoryIncidentSink(),
      hasher: hmacArgHasher(randomBytes(32)),
      newIncidentId,
    });
    ingress = await startIngress({
      service: 'billing',
      listen: { host: '127.0.0.1', port: 0 },
      upstream: { host: '127.0.0.1', port: upstream.port },
      credentials: server,
      allowedCallers: [FRONTEND],
      decide: (a) => (actions.push(a), governor.decide(a)),
      audit: (d) => audit.push(d),
      revocation: crl,
      cordoned: () => cordonReason,
    });
  });
  after(async () => {
    await ingress.close();
    await upstream.close();
  });

  it('accepts an allowed caller, forwards with a verified identity header and strips spoofed ones', async () => {
    const r = await mtlsCall(ingress.url, frontend, ca.bundlePem(), {
      path: '/v1/pay?id=7',
      headers: {
        'x-forwarded-client-cert': 'By=x;URI=spiffe://esq.local/ns/default/sa/admin',
        'x-spiffe-id': 'spiffe://esq.local/ns/default/sa/admin',
        'x-esq-principal': 'admin',
        'x-forwarded-for': '10.9.9.9',
        'x-app': 'kept',
      },
    });
    assert.equal(status(r), 200);
    assert.equal('headers' in r && r.headers['x-upstream'], 'yes');
    const got = upstream.seen.at(-1)!;
    assert.equal(got.url, '/v1/pay?id=7');
    const hash = inspectCertificate(frontend.certPem).sha256;
    assert.equal(got.headers['x-forwarded-client-cert'], `By=${SVC};Hash=${hash};URI=${FRONTEND}`);
    assert.equal(got.headers['x-spiffe-id'], undefined);
    assert.equal(got.headers['x-esq-principal'], undefined);
    assert.equal(got.headers['x-forwarded-for'], '127.0.0.1');
    assert.equal(got.headers['x-app'], 'kept');
    const a = actions.at(-1)!;
    assert.deepEqual(a, { name: 'ingress.request', args: { method: 'GET', path: '/v1/pay' }, principal: { id: FRONTEND, service: FRONTEND }, dest: 'billing' });
  });

  it('answers 503 while the service is cordoned (quarantine) and the upstream sees nothing', async () => {
    const before = upstream.seen.length;
    cordonReason = 'critical CVE-2099-0001 in lodash 4.17.20';
    const r = await mtlsCall(ingress.url, frontend, ca.bundlePem(), { path: '/v1/pay' });
    assert.equal(status(r), 503);
    assert.ok('body' in r && JSON.parse(r.body).error === 'cordoned' && /CVE-2099-0001/.test(JSON.parse(r.body).reason));
    assert.equal(upstream.seen.length, before);
    assert.equal(audit.at(-1)?.stage, 'quarantine');
    assert.equal(ingress.stats.counters.denied.quarantine, 1, 'counted like every other refusal');
    cordonReason = undefined;
    assert.equal(status(await mtlsCall(ingress.url, frontend, ca.bundlePem(), { path: '/v1/pay' })), 200, 'lifting the quarantine restores service');
  });

  it('drops headers the caller names in Connection (hop-by-hop)', async () => {
    const raw = await new Promise<string>((resolve, reject) => {
      const s = tlsConnect({ host: '127.0.0.1', port: ingress.port, ca: ca.bundlePem(), cert: frontend.chainPem, key: frontend.keyPem, checkServerIdentity: checkSpiffeServer(SVC) });
      let out = '';
      s.on('secureConnect', () => s.write('GET /hop HTTP/1.1\r\nHost: billing\r\nConnection: close, x-secret-hop\r\nX-Secret-Hop: drop me\r\n\r\n'));
      s.on('data', (d: Buffer) => (out += d.toString()));
      s.on('end', () => resolve(out));
      s.on('error', reject);
    });
    assert.match(raw, /^HTTP\/1\.1 200/);
    const got = upstream.seen.at(-1)!;
    assert.equal(got.url, '/hop');
    assert.equal(got.headers['x-secret-hop'], undefined);
    assert.equal(got.headers.host, 'billing');
  });

  it('streams request and response bodies both ways', async () => {
    const body = 'x'.repeat(1_000_000);
    const r = await mtlsCall(ingress.url, frontend, ca.bundlePem(), { method: 'POST', path: '/upload', body });
    assert.equal(status(r), 200);
    assert.equal('body' in r && r.body, `echo:${body.length}`);
    assert.equal(upstream.seen.at(-1)!.body.length, body.length);
  });

  /** A refused case: the sidecar counts and audits it at `stage`, and the upstream sees nothing. */
  async function refusedAt(stage: IngressDenial['stage'], call: () => Promise<Outcome>, reason: RegExp): Promise<Outcome> {
    const before = { seen: upstream.seen.length, denied: ingress.stats.counters.denied[stage], audit: audit.length };
    const outcome = await call();
    await eventually(() => ingress.stats.counters.denied[stage] === before.denied + 1);
    assert.equal(upstream.seen.length, before.seen, 'the upstream received nothing');
    const last = audit.at(-1)!;
    assert.equal(audit.length, before.audit + 1);
    assert.equal(last.stage, stage);
    assert.match(last.reason, reason);
    return outcome;
  }

  it('refuses a client without a certificate', async () => {
    const r = await refusedAt('tls', () => mtlsCall(ingress.url, undefined, ca.bundlePem()), /no client certificate/);
    assert.ok('error' in r);
  });

  it('refuses a certificate from an unknown CA', async () => {
    const other = await LocalCa.init(join(home.dir, 'evil'), { trustDomain: TD });
    const creds = await other.issue({ spiffeId: FRONTEND });
    await refusedAt('tls', () => mtlsCall(ingress.url, creds, ca.bundlePem()), /not issued by the trust bundle/);
  });

  it('refuses an expired certificate', async () => {
    const past = await LocalCa.open(join(home.dir, 'pki'), { clock: () => new Date(Date.now() - 2 * 3_600_000) });
    const creds = await past.issue({ spiffeId: FRONTEND, ttlMs: 3_600_000 });
    await refusedAt('tls', () => mtlsCall(ingress.url, creds, ca.bundlePem()), /expired/);
  });

  it('refuses a valid workload that is not an allowed caller (403)', async () => {
    const creds = await ca.issue({ spiffeId: INTRUDER });
    const r = await refusedAt('caller', () => mtlsCall(ingress.url, creds, ca.bundlePem(), { path: '/v1/pay' }), /not in allowedCallers/);
    assert.equal(status(r), 403);
    assert.equal(audit.at(-1)!.spiffeId, INTRUDER);
  });

  it('refuses a certificate with two URI SANs, and a CA certificate as client', async () => {
    const two = await forgeLeaf(join(home.dir, 'pki'), [FRONTEND, INTRUDER]);
    await refusedAt('identity', () => mtlsCall(ingress.url, two, ca.bundlePem()), /2 URI SANs/);
    const none = await forgeLeaf(join(home.dir, 'pki'), []);
    await refusedAt('identity', () => mtlsCall(ingress.url, none, ca.bundlePem()), /0 URI SANs/);
    const caAsClient = await forgeLeaf(join(home.dir, 'pki'), [FRONTEND], { isCa: true });
    await refusedAt('identity', () => mtlsCall(ingress.url, caAsClient, ca.bundlePem()), /CA certificate/);
  });

  it('asks the policy engine and refuses what it blocks', async () => {
    const r = await refusedAt('policy', () => mtlsCall(ingress.url, frontend, ca.bundlePem(), { path: '/admin/users' }), /admin API is closed/);
    assert.equal(status(r), 403);
    assert.equal(audit.at(-1)!.ruleId, 'NO-ADMIN');
    assert.match(audit.at(-1)!.incidentId ?? '', /^INC-/);
  });

  it('normalises the path before the policy sees it, and forwards what was approved', async () => {
    for (const sneaky of ['//admin/users', '/v1/../admin/users', '/%61dmin/users']) {
      const r = await refusedAt('policy', () => mtlsCall(ingress.url, frontend, ca.bundlePem(), { path: sneaky }), /admin API is closed/);
      assert.equal(status(r), 403, sneaky);
    }
    assert.equal(status(await mtlsCall(ingress.url, frontend, ca.bundlePem(), { path: '/v1/./pay//now?x=%2e' })), 200);
    assert.equal(upstream.seen.at(-1)!.url, '/v1/pay/now?x=%2e');
    assert.deepEqual(actions.at(-1)!.args, { method: 'GET', path: '/v1/pay/now' });
  });

  it('refuses a revoked certificate, also on a connection opened before the revocation', async () => {
    const victim = await ca.issue({ spiffeId: FRONTEND });
    const client = new Client(ingress.url, { connect: { ca: ca.bundlePem(), cert: victim.chainPem, key: victim.keyPem, checkServerIdentity: checkSpiffeServer(SVC) } });
    try {
      const first = await client.request({ method: 'GET', path: '/before' });
      assert.equal(first.statusCode, 200);
      await first.body.text();
      await ca.revoke(victim.serial, 'keyCompromise');
      await crl.refresh();
      const seen = upstream.seen.length;
      await assert.rejects(async () => (await client.request({ method: 'GET', path: '/after' })).body.text());
      await eventually(() => ingress.stats.counters.denied.revoked === 1);
      assert.equal(upstream.seen.length, seen);
    } finally {
      await client.destroy();
    }
    await refusedAt('revoked', () => mtlsCall(ingress.url, victim, ca.bundlePem()), /revoked/);
  });

  it('refuses TLS below 1.3', async () => {
    const before = ingress.stats.counters.denied.tls;
    await new Promise<void>((resolve) => {
      const s = tlsConnect({ host: '127.0.0.1', port: ingress.port, maxVersion: 'TLSv1.2', ca: ca.bundlePem(), cert: frontend.chainPem, key: frontend.keyPem, checkServerIdentity: () => undefined });
      s.on('error', () => resolve());
      s.on('secureConnect', () => resolve());
    });
    await eventually(() => ingress.stats.counters.denied.tls === before + 1);
    assert.match(audit.at(-1)!.reason, /TLS 1\.3|handshake/);
  });

  it('serves a rotated certificate to new connections', async () => {
    const next = await ca.issue({ spiffeId: SVC });
    ingress.setCredentials(next);
    const serial = await new Promise<string>((resolve, reject) => {
      const s = tlsConnect({ host: '127.0.0.1', port: ingress.port, ca: ca.bundlePem(), cert: frontend.chainPem, key: frontend.keyPem, checkServerIdentity: checkSpiffeServer(SVC) });
      s.on('secureConnect', () => {
        resolve(inspectCertificate(s.getPeerX509Certificate()!.raw).serial);
        s.destroy();
      });
      s.on('error', reject);
    });
    assert.equal(serial, next.serial);
    assert.equal(ingress.posture().certificate.serial, next.serial);
    assert.equal(status(await mtlsCall(ingress.url, frontend, ca.bundlePem())), 200);
  });

  it('explains a listen address that is taken', async () => {
    await assert.rejects(
      startIngress({ service: 'billing', listen: { host: '127.0.0.1', port: ingress.port }, upstream: { host: '127.0.0.1', port: upstream.port }, credentials: server, allowedCallers: [], decide: () => assert.fail('not reached') }),
      (e: Error) => e instanceof ConfigError && /address is in use/.test(e.message),
    );
  });

  it('reports its posture from the live server', () => {
    const p = ingress.posture();
    assert.deepEqual(p.tls, { minVersion: 'TLSv1.3', clientCertificateRequired: true, unauthorizedRejected: true });
    assert.deepEqual(p.allowedCallers, [FRONTEND]);
    assert.ok(p.certificate.expiresInSeconds > 3000);
    assert.ok(ingress.stats.recentDenials(3).length === 3);
  });
});

describe('ingress with one-time tokens required', () => {
  let ca2: LocalCa;
  let up: Awaited<ReturnType<typeof recordingUpstream>>;
  let ing: Ingress;
  let caller: WorkloadCredentials;
  const denials: IngressDenial[] = [];
  before(async () => {
    ca2 = await LocalCa.init(join(home.dir, 'pki-zt'), { trustDomain: TD });
    caller = await ca2.issue({ spiffeId: FRONTEND });
    up = await recordingUpstream();
    ing = await startIngress({
      service: 'billing',
      listen: { host: '127.0.0.1', port: 0 },
      upstream: { host: '127.0.0.1', port: up.port },
      credentials: await ca2.issue({ spiffeId: SVC }),
      allowedCallers: [FRONTEND],
      decide: () => ({ allow: true, effect: 'allow', reason: 'ok', matches: [], dryRun: [], defaulted: true, env: 'dev', policy: { name: 't', version: '1' }, timings: { evalMicros: 0, rulesEvaluated: 0 } }),
      audit: (d) => denials.push(d),
      tokens: { audiences: ['127.0.0.1', 'billing'], replay: new MemoryReplayCache() },
    });
  });
  after(async () => {
    await ing.close();
    await up.close();
  });

  it('accepts a request carrying a token the caller minted, and refuses it replayed or missing', async () => {
    const { createPrivateKey } = await import('node:crypto');
    const signer = new TokenSigner({ spiffeId: FRONTEND, key: createPrivateKey(caller.keyPem) });
    const ok = await mtlsCall(ing.url, caller, ca2.bundlePem(), { path: '/pay' }, (c) => c.compose(zeroTrustInterceptor(signer, { audience: 'billing' })));
    assert.equal(status(ok), 200, JSON.stringify(denials));
    const used = up.seen.at(-1)!;
    assert.equal(used.headers[ZT_HEADER], undefined, 'the token is consumed at the door');
    // Replay: the same token again on the same path.
    const token = await signer.mint({ audience: '127.0.0.1', method: 'GET', path: '/pay' });
    assert.equal(status(await mtlsCall(ing.url, caller, ca2.bundlePem(), { path: '/pay', headers: { [ZT_HEADER]: token } })), 200);
    const n = up.seen.length;
    assert.equal(status(await mtlsCall(ing.url, caller, ca2.bundlePem(), { path: '/pay', headers: { [ZT_HEADER]: token } })), 401);
    assert.match(denials.at(-1)!.reason, /replayed/);
    assert.equal(status(await mtlsCall(ing.url, caller, ca2.bundlePem(), { path: '/pay' })), 401);
    assert.match(denials.at(-1)!.reason, /missing/);
    // A token minted by another workload's key does not pass, even carried over a valid connection.
    const other = await ca2.issue({ spiffeId: FRONTEND });
    const forged = await new TokenSigner({ spiffeId: FRONTEND, key: createPrivateKey(other.keyPem) }).mint({ audience: '127.0.0.1', method: 'GET', path: '/pay' });
    assert.equal(status(await mtlsCall(ing.url, caller, ca2.bundlePem(), { path: '/pay', headers: { [ZT_HEADER]: forged } })), 401);
    assert.match(denials.at(-1)!.reason, /signature/);
    assert.equal(up.seen.length, n);
    assert.equal(ing.stats.counters.denied.token, 3);
  });
});

describe('ingress traffic mirroring', () => {
  it('offers each forwarded exchange (headers as forwarded, bodies up to the limit) and each refusal, off the request path', async () => {
    const events: MirrorEvent[] = [];
    const tap: MirrorTap = { bodyLimit: 8, offer: (e) => (events.push(e), true) };
    const mca = await LocalCa.init(join(home.dir, 'pki-mirror'), { trustDomain: TD });
    const up = await recordingUpstream();
    const ing = await startIngress({
      service: 'billing',
      listen: { host: '127.0.0.1', port: 0 },
      upstream: { host: '127.0.0.1', port: up.port },
      credentials: await mca.issue({ spiffeId: SVC }),
      allowedCallers: [FRONTEND],
      decide: () => ({ allow: true, effect: 'allow', reason: 'ok', matches: [], dryRun: [], defaulted: true, env: 'dev', policy: { name: 't', version: '1' }, timings: { evalMicros: 0, rulesEvaluated: 0 } }),
      mirror: tap,
    });
    try {
      const fe = await mca.issue({ spiffeId: FRONTEND });
      const r = await mtlsCall(ing.url, fe, mca.bundlePem(), { method: 'POST', path: '/v1/pay?card=4111111111111111', body: 'amount=12345678', headers: { 'content-type': 'text/plain' } });
      assert.equal(status(r), 200);
      await eventually(() => events.length === 1);
      const e = events[0]!;
      assert.deepEqual([e.direction, e.method, e.host, e.path, e.status, e.caller], ['ingress', 'POST', 'billing', '/v1/pay', 200, FRONTEND]);
      assert.ok(!JSON.stringify(e).includes('4111111111111111'), 'the query string is not mirrored');
      assert.match(String(e.requestHeaders?.['x-forwarded-client-cert']), new RegExp(`URI=${FRONTEND}$`));
      assert.equal(e.responseHeaders?.['x-upstream'], 'yes');
      assert.deepEqual(e.requestBody, { size: 15, truncated: true, base64: Buffer.from('amount=1').toString('base64') });
      assert.deepEqual(e.responseBody, { size: 7, truncated: false, base64: Buffer.from('echo:15').toString('base64') });
      assert.equal(up.seen[0]?.body, 'amount=12345678', 'the copy does not take anything from the upstream');
      const intruder = await mca.issue({ spiffeId: INTRUDER });
      assert.equal(status(await mtlsCall(ing.url, intruder, mca.bundlePem(), { path: '/x' })), 403);
      await eventually(() => events.length === 2);
      assert.deepEqual([events[1]!.blocked, events[1]!.caller, events[1]!.path], ['caller', INTRUDER, '/x']);
    } finally {
      await ing.close();
      await up.close();
    }
  });
});
