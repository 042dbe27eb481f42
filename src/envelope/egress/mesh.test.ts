/**
 * Mesh origination end to end, on loopback with real TLS: service A's plain-HTTP call goes through
 * A's egress proxy, which originates mTLS with A's workload certificate and adds a one-time X-ZT
 * token; B is a real mTLS ingress (startIngress) that requires tokens. Test host names resolve to
 * 127.0.0.1 through an injected resolver; nothing leaves loopback.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { tempHome } from '../../../test/helpers.js';
import type { Decision } from '../../engine/types.js';
import { startIngress, type Ingress } from '../ingress/server.js';
import { mtlsCall, recordingUpstream } from '../ingress/testkit.js';
import type { IngressDenial } from '../ingress/types.js';
import { LocalCa, type WorkloadCredentials } from '../pki/ca.js';
import { requestBinding, ZT_HEADER, type ZeroTrustClaims } from '../tokens/claims.js';
import { MemoryReplayCache } from '../tokens/replay-cache.js';
import { TokenSigner, type MintRequest } from '../tokens/sign.js';
import type { ResolvedAddress } from './policy.js';
import { startEgressProxy, type EgressAllowEvent, type EgressBlockEvent, type EgressProxy } from './proxy.js';

const TD = 'esq.local';
const A = `spiffe://${TD}/ns/default/sa/frontend`;
const B = `spiffe://${TD}/ns/default/sa/ledger`;
const allowAll = (): Decision => ({ allow: true, effect: 'allow', reason: 'allowed', matches: [], dryRun: [], defaulted: true, env: 'dev', policy: { name: 't', version: '1' }, timings: { evalMicros: 0, rulesEvaluated: 0 } });

/** The signer the sidecar uses, keeping what it minted so the test can replay a token. */
class RecordingSigner extends TokenSigner {
  readonly minted: string[] = [];
  override async mint(req: MintRequest): Promise<string> {
    const t = await super.mint(req);
    this.minted.push(t);
    return t;
  }
}

const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as ZeroTrustClaims;

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** What service A does: an absolute-form request to its egress proxy (as HTTP_PROXY makes clients do). */
function viaProxy(proxy: EgressProxy, url: string, o: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const r = request({ host: '127.0.0.1', port: proxy.port, method: o.method ?? 'GET', path: url, headers: { host: new URL(url).host, ...o.headers } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    r.on('error', reject);
    r.end(o.body);
  });
}

describe('egress to mesh peers: mTLS originated by the sidecar, one-time token added', () => {
  const home = tempHome('esq-mesh-');
  let ca: LocalCa;
  let credsA: WorkloadCredentials;
  let current: WorkloadCredentials;
  let signer: RecordingSigner;
  let upstreamB: Awaited<ReturnType<typeof recordingUpstream>>;
  let ingressB: Ingress;
  let foreignIngress: Ingress;
  let plain: Server;
  const plainSeen: IncomingHttpHeaders[] = [];
  let proxy: EgressProxy;
  const deniedByB: IngressDenial[] = [];
  const allowed: EgressAllowEvent[] = [];
  const blocked: EgressBlockEvent[] = [];
  let credsB: WorkloadCredentials;
  const revokedSerials = new Set<string>();
  const serialKey = (serial: string) => serial.replace(/:/g, '').replace(/^0+/, '').toLowerCase();

  const resolver = async (name: string): Promise<ResolvedAddress[]> =>
    ['ledger.mesh.test', 'impostor.mesh.test', 'foreign.mesh.test', 'plain.test'].includes(name) ? [{ address: '127.0.0.1', family: 4 }] : [];

  before(async () => {
    ca = await LocalCa.init(join(home.dir, 'pki'), { trustDomain: TD });
    credsA = await ca.issue({ spiffeId: A });
    current = credsA;
    // As startEnvelope builds it: the key follows the rotating certificate.
    signer = new RecordingSigner({ spiffeId: A, key: () => createPrivateKey(current.keyPem), ttlMs: 30_000 });
    upstreamB = await recordingUpstream();
    const bIngress = (credentials: WorkloadCredentials) =>
      startIngress({
        service: 'ledger',
        listen: { host: '127.0.0.1', port: 0 },
        upstream: { host: '127.0.0.1', port: upstreamB.port },
        credentials,
        allowedCallers: [A],
        decide: allowAll,
        audit: (d) => deniedByB.push(d),
        tokens: { audiences: ['ledger.mesh.test', 'impostor.mesh.test', 'foreign.mesh.test'], replay: new MemoryReplayCache() },
      });
    credsB = await ca.issue({ spiffeId: B });
    ingressB = await bIngress(credsB);
    // The right SPIFFE ID, but from a CA this workload does not trust.
    const otherCa = await LocalCa.init(join(home.dir, 'other-pki'), { trustDomain: TD });
    foreignIngress = await bIngress(await otherCa.issue({ spiffeId: B }));
    plain = createServer((req, res) => {
      plainSeen.push(req.headers);
      res.end('plain ok');
    });
    await new Promise<void>((r) => plain.listen(0, '127.0.0.1', r));
    const plainPort = (plain.address() as AddressInfo).port;
    proxy = await startEgressProxy({
      allowList: [`ledger.mesh.test:${ingressB.port} loopback`, `impostor.mesh.test:${ingressB.port} loopback`, `foreign.mesh.test:${foreignIngress.port} loopback`, `plain.test:${plainPort} loopback`],
      resolver,
      onAllow: (e) => allowed.push(e),
      onBlock: (e) => blocked.push(e),
      mesh: {
        peers: [
          { target: `ledger.mesh.test:${ingressB.port}`, spiffeId: B },
          { target: 'foreign.mesh.test', spiffeId: B },
          // Listed as a peer that must be the payments service; it is really B.
          { target: 'impostor.mesh.test', spiffeId: `spiffe://${TD}/ns/default/sa/payments` },
        ],
        credentials: () => current,
        signer,
        revocation: { isRevoked: (serial) => revokedSerials.has(serialKey(serial)) },
      },
    });
  });
  after(async () => {
    await proxy.close();
    await ingressB.close();
    await foreignIngress.close();
    await upstreamB.close();
    plain.close();
    home.cleanup();
  });

  const ledger = (path: string) => `http://ledger.mesh.test:${ingressB.port}${path}`;

  it('B accepts the call as coming from A, with a token bound to it; the same token replayed is refused', async () => {
    const before = upstreamB.seen.length;
    // The service's own X-ZT (it cannot sign one) is replaced by the sidecar's.
    const r = await viaProxy(proxy, ledger('/v1/balance?acct=7'), { method: 'POST', headers: { [ZT_HEADER]: 'forged-by-app', 'content-type': 'text/plain' }, body: 'hello' });
    assert.equal(r.status, 200, r.body);
    assert.equal(r.body, 'echo:5');
    assert.equal(upstreamB.seen.length, before + 1);
    const seen = upstreamB.seen.at(-1)!;
    assert.deepEqual([seen.method, seen.url, seen.body], ['POST', '/v1/balance?acct=7', 'hello']);
    assert.match(String(seen.headers['x-forwarded-client-cert']), new RegExp(`By=${B};.*URI=${A}$`), 'B verified A over mTLS');

    assert.equal(signer.minted.length, 1);
    const token = signer.minted[0]!;
    const c = claimsOf(token);
    assert.deepEqual([c.sub, c.aud, c.rqh], [A, 'ledger.mesh.test', requestBinding('POST', '/v1/balance?acct=7')]);
    assert.ok(c.exp - c.iat <= 60 && c.jti.length > 0);
    assert.equal(allowed.at(-1)!.meshPeer, B);

    // Replayed by someone holding A's own certificate and key: the token is spent.
    const replay = await mtlsCall(ingressB.url, credsA, ca.bundlePem(), { method: 'POST', path: '/v1/balance?acct=7', headers: { [ZT_HEADER]: token, 'content-type': 'text/plain' }, body: 'hello' });
    assert.ok('status' in replay, JSON.stringify(replay));
    assert.equal(replay.status, 401);
    assert.match(replay.body, /replayed/);
    // Straight to B, not through the sidecar: no token, no entry.
    const direct = await mtlsCall(ingressB.url, credsA, ca.bundlePem(), { path: '/v1/balance?acct=7' });
    assert.ok('status' in direct && direct.status === 401 && /missing/.test(direct.body), JSON.stringify(direct));
    assert.equal(upstreamB.seen.length, before + 1, 'B forwarded neither');
    assert.deepEqual(deniedByB.slice(-2).map((d) => [d.stage, d.spiffeId]), [['token', A], ['token', A]]);
  });

  it('mints a fresh token per request and follows certificate rotation at once', async () => {
    const n = signer.minted.length;
    for (const path of ['/a', '/a']) assert.equal((await viaProxy(proxy, ledger(path))).status, 200);
    const [t1, t2] = signer.minted.slice(n);
    assert.ok(t1 && t2 && t1 !== t2 && claimsOf(t1).jti !== claimsOf(t2).jti);
    const hashOf = () => /Hash=([^;]+)/.exec(String(upstreamB.seen.at(-1)!.headers['x-forwarded-client-cert']))![1];
    const oldHash = hashOf();
    current = await ca.issue({ spiffeId: A }); // what the rotator does: a new certificate and key
    try {
      const r = await viaProxy(proxy, ledger('/after-rotation'));
      assert.equal(r.status, 200, r.body); // the token was signed with the key of the certificate shown
      assert.notEqual(hashOf(), oldHash);
    } finally {
      current = credsA;
    }
  });

  it('refuses a peer that is not the identity it is pinned to, or not from the trust bundle, before sending anything', async () => {
    const before = upstreamB.seen.length;
    const minted = signer.minted.length;
    const impostor = await viaProxy(proxy, `http://impostor.mesh.test:${ingressB.port}/secret`);
    assert.equal(impostor.status, 502);
    assert.match(impostor.body, /server identity .*sa\/ledger is not the one expected/);
    const foreign = await viaProxy(proxy, `http://foreign.mesh.test:${foreignIngress.port}/secret`);
    assert.equal(foreign.status, 502);
    assert.match(foreign.body, /egress upstream error: (UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)/, foreign.body);
    assert.equal(upstreamB.seen.length, before, 'no request reached the upstream');
    // Tokens were minted but never left: the TLS handshake failed first.
    assert.equal(signer.minted.length, minted + 2);
  });

  it('refuses a peer whose certificate is on the revocation list, before sending anything', async () => {
    const before = upstreamB.seen.length;
    revokedSerials.add(serialKey(credsB.serial));
    try {
      const r = await viaProxy(proxy, ledger('/after-revocation'));
      assert.equal(r.status, 502);
      assert.match(r.body, /peer certificate [0-9A-F]+ is revoked/i);
      assert.equal(upstreamB.seen.length, before, 'no request reached the upstream');
    } finally {
      revokedSerials.clear();
    }
    assert.equal((await viaProxy(proxy, ledger('/after-revocation'))).status, 200, 'accepted again once off the list');
  });

  it('leaves non-mesh destinations as they were, and keeps the egress checks in front', async () => {
    const minted = signer.minted.length;
    const r = await viaProxy(proxy, `http://plain.test:${(plain.address() as AddressInfo).port}/x`, { headers: { [ZT_HEADER]: 'app-value' } });
    assert.deepEqual([r.status, r.body], [200, 'plain ok']);
    assert.equal(plainSeen.at(-1)![ZT_HEADER], 'app-value', 'plain forward, headers untouched');
    assert.equal(allowed.at(-1)!.meshPeer, undefined);
    // A mesh peer's host on a port the allow-list does not list: refused before any token or dial.
    const off = await viaProxy(proxy, 'http://ledger.mesh.test:1/x');
    assert.deepEqual([off.status, off.headers['x-esq-egress-block']], [403, 'port-not-listed']);
    assert.equal(blocked.at(-1)!.reason, 'port-not-listed');
    assert.equal(signer.minted.length, minted);
  });
});
