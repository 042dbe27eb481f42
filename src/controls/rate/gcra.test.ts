import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gcraStep, gcraTake, gcraView } from './gcra.js';
import { rateLimitHeaders } from './headers.js';

describe('GCRA token bucket', () => {
  it('admits a full burst, then one request per emission interval', () => {
    const step = gcraStep({ limit: 3, periodSeconds: 1, burst: 3 });
    assert.deepEqual(step, { incUs: 333_334, tolUs: 1_000_002, unitUs: 333_334 }, 'rounded up once, depth from the same unit');
    let tat: number | undefined;
    const now = 1_000_000_000;
    const admitted = [];
    for (let i = 0; i < 4; i++) {
      const r = gcraTake(tat, now, step.incUs, step.tolUs);
      if (r.allowed) tat = r.tatUs;
      admitted.push(r.allowed);
    }
    assert.deepEqual(admitted, [true, true, true, false], 'the burst of 3 fits despite rounding');
    assert.equal(gcraTake(tat, now + 333_333, step.incUs, step.tolUs).allowed, false);
    assert.equal(gcraTake(tat, now + 333_334, step.incUs, step.tolUs).allowed, true);
  });

  it('leaves the state untouched when it refuses', () => {
    assert.deepEqual(gcraTake(5_000, 1_000, 3_000, 5_000), { allowed: false, tatUs: 5_000 });
    assert.deepEqual(gcraTake(undefined, 1_000, 3_000, 5_000), { allowed: true, tatUs: 4_000 });
  });

  it('turns bucket state into header figures', () => {
    const step = gcraStep({ limit: 10, periodSeconds: 60, burst: 10 });
    const now = 0;
    assert.deepEqual(gcraView(step, now, { allowed: true, tatUs: 18_000_000 }), { allowed: true, remaining: 7, resetSeconds: 18 });
    assert.deepEqual(gcraView(step, now, { allowed: false, tatUs: 60_000_000 }), { allowed: false, remaining: 0, resetSeconds: 60, retryAfterSeconds: 6 });
    assert.deepEqual(gcraView(step, now, { allowed: false, tatUs: 60_500_000 }).retryAfterSeconds, 7, 'rounded up to whole seconds');
  });
});

describe('RateLimit headers', () => {
  it('gives the draft fields, and Retry-After only when refused', () => {
    assert.deepEqual(rateLimitHeaders({ limit: 100, remaining: 42, resetSeconds: 17 }), { 'RateLimit-Limit': '100', 'RateLimit-Remaining': '42', 'RateLimit-Reset': '17' });
    assert.deepEqual(rateLimitHeaders({ limit: 100, remaining: 0, resetSeconds: 60, retryAfterSeconds: 0.2 }), {
      'RateLimit-Limit': '100', 'RateLimit-Remaining': '0', 'RateLimit-Reset': '60', 'Retry-After': '1',
    });
    assert.equal(rateLimitHeaders({ limit: 5, remaining: -3, resetSeconds: 2.9 })['RateLimit-Remaining'], '0');
    assert.equal(rateLimitHeaders({ limit: 5, remaining: 1, resetSeconds: 2.9 })['RateLimit-Reset'], '2');
  });
});
