import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileControls } from '../config.js';
import { createRateLimiter, type FallbackEvent } from './limiter.js';
import { MemoryRateStore } from './memory-rate-store.js';
import type { RateStore } from './rate-store.js';

const clock = () => new Date('2026-11-22T10:00:00Z');

describe('rate limiter', () => {
  const { rateLimits } = compileControls({
    rateLimits: {
      rules: [
        { id: 'tenant', limit: 100, periodSeconds: 60 },
        { id: 'principal', by: ['tenant', 'principal'], limit: 3, periodSeconds: 60 },
        { id: 'exports', by: ['tenant'], limit: 2, periodSeconds: 3600, actions: ['export_*'] },
      ],
    },
  });

  it('applies only the rules whose dimensions and actions the request has', async () => {
    const l = createRateLimiter(rateLimits, new MemoryRateStore(), { clock });
    const a = await l.consume({ tenant: 't', action: 'read' });
    assert.equal(a.ruleId, 'tenant');
    assert.equal(a.remaining, 99);
    const b = await l.consume({ tenant: 't', principal: 'p', action: 'read' });
    assert.equal(b.ruleId, 'principal', 'reported: the rule closest to its limit');
    assert.equal(b.remaining, 2);
    await l.consume({ tenant: 't', action: 'export_phi' });
    await l.consume({ tenant: 't', action: 'export_pii' });
    const c = await l.consume({ tenant: 't', action: 'export_phi' });
    assert.equal(c.allowed, false);
    assert.equal(c.headers['Retry-After'], '1800');
    assert.deepEqual(await l.consume({}), { allowed: true, headers: {}, fallbacks: [] }, 'no rule applies');
    const k = await l.consume('opaque-key');
    assert.equal(k.allowed, true, 'a string key goes to every rule as one bucket each');
  });

  it('refuses a request costing more than a bucket holds, without touching the store', async () => {
    let calls = 0;
    const store: RateStore = { kind: 'memory', scope: 'process', take: async () => (calls++, { allowed: true, tatUs: 0 }), refund: async () => {}, close: async () => {} };
    const l = createRateLimiter([{ id: 'r', by: ['tenant'], limit: 3, periodSeconds: 60, burst: 3, onStoreError: 'fail-closed', throttle: true }], store, { clock });
    const d = await l.consume({ tenant: 't' }, { cost: 4 });
    assert.equal(d.allowed, false);
    assert.equal(calls, 0);
    await assert.rejects(l.consume({ tenant: 't' }, { factor: 0 }), RangeError);
    await assert.rejects(l.consume({ tenant: 't' }, { cost: -1 }), RangeError);
  });

  it('treats a store that does not answer in time as down', async () => {
    const hanging: RateStore = { kind: 'postgres', scope: 'cluster', take: () => new Promise(() => {}), refund: async () => {}, close: async () => {} };
    const events: FallbackEvent[] = [];
    const l = createRateLimiter([{ id: 'r', by: ['tenant'], limit: 3, periodSeconds: 60, burst: 3, onStoreError: 'fail-open', throttle: true }], hanging, {
      clock, timeoutMs: 20, onFallback: (e) => events.push(e),
    });
    const d = await l.consume({ tenant: 't' });
    assert.equal(d.allowed, true);
    assert.equal(events.length, 1);
    assert.match((events[0]!.error as Error).message, /did not answer within 20 ms/);
  });
});
