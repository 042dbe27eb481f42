import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import { Agent, request } from 'undici';
import { needService } from '../../../test/services.js';
import { InvalidInputError } from '../../errors.js';
import { requestBinding, TOKEN_TYPE, ZT_HEADER } from './claims.js';
import { zeroTrustInterceptor } from './inject.js';
import { MemoryReplayCache, RedisReplayCache, type ReplayCache, type RedisSetNx } from './replay-cache.js';
import { TokenSigner } from './sign.js';
import { verifyZeroTrustToken, ZeroTrustTokenError, type TokenRejection, type VerifyTokenOptions } from './verify.js';

const CALLER = 'spiffe://esq.local/ns/default/sa/frontend';
const caller = generateKeyPairSync('ed25519');
const impostor = generateKeyPairSync('ed25519');
const T0 = new Date('2026-11-22T14:00:00Z');

function signer(key = caller.privateKey, clock = () => T0) {
  return new TokenSigner({ spiffeId: CALLER, key, ttlMs: 30_000, clock });
}
function opts(over: Partial<VerifyTokenOptions> = {}): VerifyTokenOptions {
  return { key: caller.publicKey, audiences: ['billing'], method: 'POST', path: '/v1/pay?x=1', expectedSubject: CALLER, replay: new MemoryReplayCache(() => T0.getTime()), clock: () => T0, ...over };
}
async function refused(token: string | undefined, o: VerifyTokenOptions): Promise<TokenRejection> {
  try {
    await verifyZeroTrustToken(token, o);
  } catch (e) {
    assert.ok(e instanceof ZeroTrustTokenError, String(e));
    return e.reason;
  }
  assert.fail('token was accepted');
}
const mint = (s = signer(), audience = 'billing', method = 'POST', path = '/v1/pay?x=1') => s.mint({ audience, method, path });

describe('zero-trust tokens', () => {
  it('accepts a fresh token bound to this caller, audience, method and path', async () => {
    const claims = await verifyZeroTrustToken(await mint(), opts());
    assert.equal(claims.sub, CALLER);
    assert.equal(claims.aud, 'billing');
    assert.equal(claims.exp - claims.iat, 30);
    assert.equal(claims.rqh, requestBinding('post', '/v1/pay?x=1'));
  });

  it('refuses a forged signature and a tampered payload', async () => {
    assert.equal(await refused(await mint(signer(impostor.privateKey)), opts()), 'signature');
    const [h, p, s] = (await mint()).split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown>;
    payload.aud = 'billing';
    payload.sub = 'spiffe://esq.local/ns/default/sa/admin';
    const tampered = `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
    assert.equal(await refused(tampered, opts()), 'signature');
  });

  it('refuses the wrong audience', async () => {
    assert.equal(await refused(await mint(signer(), 'ledger'), opts()), 'audience');
  });

  it('refuses an expired token', async () => {
    const token = await mint();
    assert.equal(await refused(token, opts({ clock: () => new Date(T0.getTime() + 36_000) })), 'expired');
  });

  it('refuses a replayed token', async () => {
    const o = opts();
    const token = await mint();
    await verifyZeroTrustToken(token, o);
    assert.equal(await refused(token, o), 'replayed');
  });

  it('refuses a token used for another method or path', async () => {
    const token = await mint();
    assert.equal(await refused(token, opts({ method: 'DELETE' })), 'binding');
    assert.equal(await refused(token, opts({ path: '/v1/pay?x=2' })), 'binding');
  });

  it('does not burn a token refused for binding (the real request can still use it)', async () => {
    const o = opts();
    const token = await mint();
    assert.equal(await refused(token, { ...o, path: '/other' }), 'binding');
    await verifyZeroTrustToken(token, o);
  });

  it('refuses a token presented by another workload, a missing one, and one that lives over 60 s', async () => {
    assert.equal(await refused(await mint(), opts({ expectedSubject: 'spiffe://esq.local/ns/default/sa/other' })), 'subject');
    assert.equal(await refused(undefined, opts()), 'missing');
    assert.equal(await refused('not.a.jwt', opts()), 'malformed');
    const iat = Math.floor(T0.getTime() / 1000);
    const long = await new SignJWT({ rqh: requestBinding('POST', '/v1/pay?x=1') })
      .setProtectedHeader({ alg: 'EdDSA', typ: TOKEN_TYPE })
      .setIssuer(CALLER).setSubject(CALLER).setAudience('billing').setJti(randomUUID()).setIssuedAt(iat).setExpirationTime(iat + 3600)
      .sign(caller.privateKey);
    assert.equal(await refused(long, opts()), 'lifetime');
    assert.throws(() => new TokenSigner({ spiffeId: CALLER, key: caller.privateKey, ttlMs: 120_000 }), InvalidInputError);
  });

  it('signs with ES256 for P-256 workload keys', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const token = await mint(signer(ec.privateKey));
    assert.equal(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).alg, 'ES256');
    await verifyZeroTrustToken(token, opts({ key: ec.publicKey }));
    // An EdDSA token cannot pass against a P-256 key (no algorithm confusion).
    assert.equal(await refused(await mint(), opts({ key: ec.publicKey })), 'signature');
  });

  it('the interceptor puts a fresh token on each request the sidecar originates', async () => {
    const seen: IncomingHttpHeaders[] = [];
    const server = createServer((req, res) => {
      seen.push(req.headers);
      res.end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const agent = new Agent().compose(zeroTrustInterceptor(new TokenSigner({ spiffeId: CALLER, key: caller.privateKey })));
    try {
      for (const path of ['/a?q=1', '/a?q=1']) {
        const r = await request(`http://127.0.0.1:${port}${path}`, { dispatcher: agent, headers: { [ZT_HEADER]: 'forged-by-app', 'x-other': '1' } });
        await r.body.text();
      }
      const replay = new MemoryReplayCache();
      const base = { key: caller.publicKey, audiences: ['127.0.0.1'], method: 'GET', path: '/a?q=1', expectedSubject: CALLER, replay };
      const [a, b] = seen.map((h) => h[ZT_HEADER] as string);
      assert.notEqual(a, 'forged-by-app');
      assert.equal(seen[0]!['x-other'], '1');
      assert.notEqual(a, b, 'one token per request');
      await verifyZeroTrustToken(a, base);
      await verifyZeroTrustToken(b, base);
    } finally {
      await agent.close();
      server.close();
    }
  });
});

describe('replay caches', async () => {
  it('memory: first claim wins, expiry frees the id', async () => {
    let now = 1000;
    const c = new MemoryReplayCache(() => now);
    assert.equal(await c.claim('a', 500), true);
    assert.equal(await c.claim('a', 500), false);
    now = 1600;
    assert.equal(await c.claim('a', 500), true);
  });

  const { Redis } = await import('ioredis');
  const url = process.env.ESQ_REDIS_URL ?? 'redis://127.0.0.1:6379';
  let client: InstanceType<typeof Redis> | undefined;
  const gate = await needService(
    'Redis',
    async () => {
      client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: () => null });
      await client.connect();
      await client.ping();
    },
    'start Redis on 127.0.0.1:6379 or set ESQ_REDIS_URL',
  );
  after(() => client?.disconnect());
  it('redis: SET NX PX makes the first claim win across verifiers', { skip: gate.skip ?? false }, async () => {
    const prefix = `esq-test:${randomUUID()}:`;
    const a: ReplayCache = new RedisReplayCache(client as unknown as RedisSetNx, prefix);
    const b: ReplayCache = new RedisReplayCache(client as unknown as RedisSetNx, prefix);
    const token = await mint();
    await verifyZeroTrustToken(token, opts({ replay: a }));
    assert.equal(await refused(token, opts({ replay: b })), 'replayed'); // another replica sees the same cache
    const ttl = await client!.pttl(`${prefix}${JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).jti}`);
    assert.ok(ttl > 0 && ttl <= 35_000 + 5_000, `ttl ${ttl}`);
  });
});
