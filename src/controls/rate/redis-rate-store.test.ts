import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { after, describe, it } from 'node:test';
import { needService } from '../../../test/services.js';
import { createRateLimiter, type FallbackEvent, type RateRule } from './limiter.js';
import { RateLimitUnavailable } from './errors.js';
import { rateStoreConformance } from './rate-conformance.js';
import { RedisRateStore } from './redis-rate-store.js';

const url = process.env.ESQ_REDIS_URL || 'redis://127.0.0.1:6379';
const gate = await needService(
  'Redis',
  async () => {
    const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 2000, retryStrategy: () => null });
    r.on('error', () => {});
    try {
      await r.connect();
      await r.ping();
    } finally {
      r.disconnect();
    }
  },
  `set ESQ_REDIS_URL (tried ${url})`,
);

// Every key this run writes starts with its own prefix; all are deleted at the end.
const runPrefix = `esq-test:${randomBytes(6).toString('hex')}:`;
after(async () => {
  if (!gate.available) return;
  const r = new Redis(url);
  const keys = await r.keys(`${runPrefix}*`);
  if (keys.length) await r.del(...keys);
  r.disconnect();
});
let n = 0;

describe('Redis rate limits', { skip: gate.skip }, () => {
  rateStoreConformance('Redis', {
    async fresh() {
      const prefix = `${runPrefix}${n++}:`;
      return { open: async () => new RedisRateStore({ url, prefix }) };
    },
  });

  it('lets a bucket key expire by itself once it has refilled', async () => {
    const prefix = `${runPrefix}ttl:`;
    const store = new RedisRateStore({ url, prefix });
    try {
      const now = Date.now() * 1000;
      assert.deepEqual(await store.take('k', now, 2_000_000, 10_000_000), { allowed: true, tatUs: now + 2_000_000 });
      const pttl = await store.client.pttl(`${prefix}k`);
      assert.ok(pttl > 1900 && pttl <= 2001, `expires when full again (pttl ${pttl})`);
    } finally {
      await store.close();
    }
  });
});

describe('rate limits when the store is down', () => {
  const down = () => new RedisRateStore({ url: 'redis://127.0.0.1:1', prefix: 'x:' });
  const rule: RateRule = { id: 'tenant', by: ['tenant'], limit: 5, periodSeconds: 60, burst: 5, onStoreError: 'fail-open', throttle: true };

  it('fail-open admits, logs and counts every fallback (never a quiet per-replica memory)', async () => {
    const store = down();
    const events: FallbackEvent[] = [];
    const limiter = createRateLimiter([rule], store, { onFallback: (e) => events.push(e), timeoutMs: 3000 });
    try {
      for (let i = 0; i < 7; i++) {
        const d = await limiter.consume({ tenant: 'acme' });
        assert.equal(d.allowed, true, 'more than the limit: nothing is counting');
        assert.deepEqual(d.fallbacks, ['tenant']);
        assert.deepEqual(d.headers, {}, 'no made-up remaining counts');
      }
      assert.equal(events.length, 7);
      assert.deepEqual([...new Set(events.map((e) => `${e.ruleId} ${e.mode} ${e.store}`))], ['tenant fail-open redis']);
    } finally {
      await store.close();
    }
  });

  it('fail-closed refuses with RateLimitUnavailable', async () => {
    const store = down();
    const limiter = createRateLimiter([{ ...rule, onStoreError: 'fail-closed' }], store, { timeoutMs: 3000 });
    try {
      await assert.rejects(limiter.consume({ tenant: 'acme' }), (e: unknown) => e instanceof RateLimitUnavailable && (e as RateLimitUnavailable).ruleId === 'tenant');
    } finally {
      await store.close();
    }
  });
});
