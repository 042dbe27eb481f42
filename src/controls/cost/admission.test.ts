import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileControls } from '../config.js';
import { createRateLimiter } from '../rate/limiter.js';
import { MemoryRateStore } from '../rate/memory-rate-store.js';
import { admit } from './admission.js';
import { createCostController } from './controller.js';
import { SqliteBudgetStore } from './sqlite-budget-store.js';

describe('throttling admission', () => {
  it('shrinks the tenant rate as its budget fills: 10/min at ≤80 %, 1/min when spent out', async () => {
    const controls = compileControls({
      cost: { budgets: [{ scope: 'tenant', daily: '1.00' }], throttle: { startPercent: 80, floor: 0.1 } },
      rateLimits: { rules: [{ id: 'tenant', limit: 10, periodSeconds: 60 }] },
    });
    const store = new SqliteBudgetStore({ path: ':memory:' });
    await store.migrate();
    const clock = { now: new Date('2026-11-22T10:00:00Z') };
    const cost = createCostController({ store, budgets: controls.budgets, clock: () => clock.now });
    const limiter = createRateLimiter(controls.rateLimits, new MemoryRateStore(), { clock: () => clock.now });
    const burst = async (tenant: string) => {
      let n = 0;
      for (let i = 0; i < 20; i++) if ((await admit(cost, limiter, { tenant })).allowed) n++;
      return n;
    };
    assert.equal(await burst('fresh'), 10);
    const r = await cost.reserve('spent', undefined, 1_000_000);
    assert.ok(r.ok);
    const first = await admit(cost, limiter, { tenant: 'spent' });
    assert.equal(first.factor, 0.1);
    assert.equal(first.utilisation, 1);
    assert.equal(first.headers['RateLimit-Limit'], '1');
    assert.equal(await burst('spent'), 0, 'the one request the floor allows was the first one');
    const refused = await admit(cost, limiter, { tenant: 'spent' });
    assert.equal(refused.allowed, false);
    assert.equal(refused.retryAfterSeconds, 60, 'one request per minute at 10 % of 10/min');
    await cost.release(r.reservation.id);
    clock.now = new Date(clock.now.getTime() + 60_000);
    assert.equal((await admit(cost, limiter, { tenant: 'spent' })).factor, 1, 'released: back to the full rate');
  });
});
