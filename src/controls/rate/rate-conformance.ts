/**
 * One suite for every RateStore: two limiters on two store instances (two "replicas") must enforce one
 * limit together, refused requests consume nothing, and the header values follow the bucket.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRateLimiter, type RateRule } from './limiter.js';
import type { RateStore } from './rate-store.js';

export interface RateHarness {
  /** Fresh state (own key prefix / schema / file); `open()` gives a store instance on it ("a replica"). */
  fresh(): Promise<{ open(): Promise<RateStore> }>;
}

const rule: RateRule = { id: 'per-tenant', by: ['tenant'], limit: 10, periodSeconds: 60, burst: 10, onStoreError: 'fail-closed', throttle: true };

export function rateStoreConformance(name: string, harness: RateHarness): void {
  describe(`${name} rate store`, () => {
    const replicas = async () => {
      const db = await harness.fresh();
      const stores = [await db.open(), await db.open()];
      const clock = { now: new Date('2026-11-22T10:00:00Z') };
      const limiters = stores.map((s) => createRateLimiter([rule], s, { clock: () => clock.now }));
      return { stores, clock, limiters, close: () => Promise.all(stores.map((s) => s.close())) };
    };

    it('enforces one limit across two limiter instances, and refills with time', async () => {
      const { limiters, clock, close } = await replicas();
      try {
        const results = [];
        for (let i = 0; i < 14; i++) results.push(await limiters[i % 2]!.consume({ tenant: 'acme' }));
        assert.equal(results.filter((r) => r.allowed).length, 10);
        assert.deepEqual(results.slice(0, 10).map((r) => r.remaining), [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
        const refused = results[10]!;
        assert.equal(refused.allowed, false);
        assert.deepEqual(refused.headers, { 'RateLimit-Limit': '10', 'RateLimit-Remaining': '0', 'RateLimit-Reset': '60', 'Retry-After': '6' });
        assert.equal((await limiters[0]!.consume({ tenant: 'other' })).allowed, true, 'another tenant has its own bucket');
        clock.now = new Date(clock.now.getTime() + 5_999);
        assert.equal((await limiters[1]!.consume({ tenant: 'acme' })).allowed, false);
        clock.now = new Date(clock.now.getTime() + 1);
        const back = await limiters[1]!.consume({ tenant: 'acme' });
        assert.equal(back.allowed, true, 'one request per 6 s refills');
        assert.equal(back.remaining, 0);
      } finally {
        await close();
      }
    });

    it('admits exactly the limit when both replicas are hit at once', async () => {
      const { limiters, close } = await replicas();
      try {
        const all = await Promise.all(Array.from({ length: 40 }, (_, i) => limiters[i % 2]!.consume({ tenant: 'burst' })));
        assert.equal(all.filter((r) => r.allowed).length, 10);
      } finally {
        await close();
      }
    });

    it('does not charge refused requests, and refunds a rule when a later one refuses', async () => {
      const { stores, clock, limiters, close } = await replicas();
      try {
        for (let i = 0; i < 10; i++) assert.ok((await limiters[0]!.consume({ tenant: 'acme' })).allowed);
        for (let i = 0; i < 50; i++) assert.equal((await limiters[1]!.consume({ tenant: 'acme' })).allowed, false);
        clock.now = new Date(clock.now.getTime() + 6_000);
        assert.equal((await limiters[0]!.consume({ tenant: 'acme' })).allowed, true, '50 refusals did not push the refill back');

        // Two rules: the per-action one refuses, so the per-tenant bucket must be given back.
        const strict: RateRule = { id: 'export', by: ['tenant', 'action'], limit: 1, periodSeconds: 60, burst: 1, actions: [/^export_/], onStoreError: 'fail-closed', throttle: false };
        const both = createRateLimiter([{ ...rule, id: 'tenant2' }, strict], stores[1]!, { clock: () => clock.now });
        const a = await both.consume({ tenant: 't', action: 'export_phi' });
        assert.equal(a.allowed, true);
        assert.equal(a.ruleId, 'export', 'headers follow the rule closest to its limit');
        for (let i = 0; i < 5; i++) {
          const r = await both.consume({ tenant: 't', action: 'export_phi' });
          assert.equal(r.allowed, false);
          assert.equal(r.ruleId, 'export');
        }
        const other = await both.consume({ tenant: 't', action: 'read_note' });
        assert.equal(other.remaining, 8, 'the tenant bucket holds 2 requests, not 7: refused ones were refunded');
      } finally {
        await close();
      }
    });

    it('shrinks the allowed rate by the throttle factor', async () => {
      const { limiters, close } = await replicas();
      try {
        const half = [];
        for (let i = 0; i < 10; i++) half.push(await limiters[i % 2]!.consume({ tenant: 'slow' }, { factor: 0.5 }));
        assert.equal(half.filter((r) => r.allowed).length, 5);
        assert.equal(half[0]!.headers['RateLimit-Limit'], '5');
        assert.equal(half[9]!.headers['Retry-After'], '12', 'one request per 12 s at half rate');
      } finally {
        await close();
      }
    });
  });
}
