import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidInputError } from '../../errors.js';
import { compileControls } from '../config.js';
import { MemoryAlertSink } from './alerts.js';
import { createCostController } from './controller.js';
import { BudgetExceeded, BudgetUnavailable } from './errors.js';
import { SqliteBudgetStore } from './sqlite-budget-store.js';

function setup(cost: object, start = '2026-11-22T10:00:00Z') {
  const store = new SqliteBudgetStore({ path: ':memory:' });
  const clock = { now: new Date(start) };
  const sink = new MemoryAlertSink();
  const controls = compileControls({ cost });
  const c = createCostController({ store, budgets: controls.budgets, prices: controls.prices, clock: () => clock.now, sink });
  return { store, clock, sink, c, ready: store.migrate() };
}

describe('cost controller', () => {
  it('refuses a reservation that would exceed a budget, naming budget, period, limit and spend', async () => {
    const { c, ready } = setup({ budgets: [{ scope: 'tenant', daily: '1.00', monthly: '20' }] });
    await ready;
    const first = await c.reserve('acme', 'bob', 700_000);
    assert.ok(first.ok);
    await c.settle(first.reservation.id, 650_000);
    const held = await c.reserve('acme', 'bob', 200_000);
    assert.ok(held.ok);
    const refused = await c.reserve('acme', 'bob', 200_000);
    assert.equal(refused.ok, false);
    if (refused.ok) return;
    const e = refused.error;
    assert.ok(e instanceof BudgetExceeded);
    assert.equal(e.kind, 'budget');
    assert.equal(e.budget, 'daily budget of tenant "acme"');
    assert.equal(e.period, 'day:2026-11-22');
    assert.equal(e.limitMicros, 1_000_000);
    assert.equal(e.spentMicros, 650_000);
    assert.equal(e.reservedMicros, 200_000);
    assert.equal(e.requestedMicros, 200_000);
    assert.equal(e.retryAfterSeconds, 14 * 3600, 'until the UTC day ends');
    assert.equal(e.message, 'daily budget of tenant "acme" for day:2026-11-22 would be exceeded: limit $1.00, spent $0.65, reserved $0.20, this call $0.20');
  });

  it('enforces the maximum cost per call, per operation first', async () => {
    const { c, ready } = setup({ budgets: [{ scope: 'tenant', daily: '100' }], maxCostPerCall: '2.00', operations: { 'llm.cheap': { maxCostPerCall: '0.10' } } });
    await ready;
    assert.ok((await c.reserve('acme', undefined, 2_000_000)).ok);
    const r = await c.reserve('acme', undefined, 2_000_001);
    assert.ok(!r.ok && r.error.kind === 'per-call' && r.error.limitMicros === 2_000_000);
    const op = await c.reserve('acme', undefined, 100_001, { operation: 'llm.cheap' });
    assert.ok(!op.ok);
    if (!op.ok) assert.equal(op.error.message, 'maximum cost per call of llm.cheap is $0.10; this call is estimated at $0.100001');
  });

  it('starts a new UTC day and month from zero by itself, with no reset job', async () => {
    const { c, clock, ready } = setup({ budgets: [{ scope: 'tenant', daily: '1.00', monthly: '1.50' }] }, '2026-11-30T23:59:59.000Z');
    await ready;
    const spend = async (micros: number) => {
      const r = await c.reserve('acme', undefined, micros);
      if (!r.ok) return r.error;
      await c.settle(r.reservation.id, micros);
      return undefined;
    };
    assert.equal(await spend(1_000_000), undefined);
    assert.equal((await spend(1))?.period, 'day:2026-11-30', 'the day is spent out');
    clock.now = new Date('2026-12-01T00:00:00.000Z'); // a new day and a new month
    assert.equal(await spend(1_000_000), undefined);
    const u = await c.utilisation('acme');
    assert.deepEqual(u.lines.map((l) => [l.period, l.spentMicros]), [['day:2026-12-01', 1_000_000], ['month:2026-12', 1_000_000]]);
    clock.now = new Date('2026-12-02T09:00:00.000Z'); // a new day, same month
    assert.equal(await spend(400_000), undefined);
    const monthly = await spend(200_000);
    assert.equal(monthly?.budget, 'monthly budget of tenant "acme"');
    assert.equal(monthly?.spentMicros, 1_400_000, 'the month kept counting across days');
  });

  it('releases reservations that were never settled once their TTL lapses', async () => {
    const { c, clock, store, ready } = setup({ budgets: [{ scope: 'tenant', daily: '1.00' }], reservationTtlSeconds: 60 });
    await ready;
    const lost = await c.reserve('acme', undefined, 900_000);
    assert.ok(lost.ok);
    assert.equal((await c.reserve('acme', undefined, 200_000)).ok, false, 'held until the TTL');
    clock.now = new Date(clock.now.getTime() + 60_000);
    const after = await c.reserve('acme', undefined, 200_000);
    assert.ok(after.ok, 'the lapsed hold was released when it was in the way');
    assert.equal((await store.getReservation(lost.reservation.id))?.state, 'expired');
    assert.equal((await c.utilisation('acme')).lines[0]!.reservedMicros, 200_000);
  });

  it('settles idempotently and rejects unknown or conflicting settlements', async () => {
    const { c, ready } = setup({ budgets: [{ scope: 'tenant', daily: '1.00' }] });
    await ready;
    const r = await c.reserve('acme', undefined, 500_000);
    assert.ok(r.ok);
    assert.equal((await c.settle(r.reservation.id, 123_456)).status, 'settled');
    assert.equal((await c.settle(r.reservation.id, 123_456)).status, 'already-settled');
    await assert.rejects(c.settle(r.reservation.id, 1), InvalidInputError);
    await assert.rejects(c.settle('no-such-id', 1), InvalidInputError);
    await assert.rejects(c.settle(r.reservation.id, -5), InvalidInputError);
    assert.equal(await c.release(r.reservation.id), false);
    assert.equal((await c.utilisation('acme')).lines[0]!.spentMicros, 123_456);
  });

  it('reports utilisation and the throttle factor of the tightest budget', async () => {
    const { c, ready } = setup({ budgets: [{ scope: 'tenant', daily: '1.00', monthly: '100' }, { scope: 'principal', daily: '0.10' }], throttle: { startPercent: 50, floor: 0.2 } });
    await ready;
    const r = await c.reserve('acme', 'bob', 75_000);
    assert.ok(r.ok);
    const u = await c.utilisation('acme', 'bob');
    assert.equal(u.utilisation, 0.75, 'the principal line is the tightest');
    assert.ok(Math.abs(u.throttleFactor - 0.6) < 1e-12);
    assert.equal(u.exhaustedForSeconds, undefined);
    await c.settle(r.reservation.id, 100_000);
    const full = await c.utilisation('acme', 'bob');
    assert.equal(full.throttleFactor, 0.2);
    assert.equal(full.exhaustedForSeconds, 14 * 3600);
  });

  it('delivers each threshold alert once, with its idempotency key', async () => {
    const { c, sink, ready } = setup({ budgets: [{ scope: 'tenant', daily: '1.00' }] });
    await ready;
    for (let i = 0; i < 10; i++) {
      const r = await c.reserve('acme', undefined, 100_000);
      if (r.ok) await c.settle(r.reservation.id, 100_000);
    }
    await c.flushAlerts();
    assert.deepEqual(sink.deliveries.map((a) => a.thresholdPercent), [50, 80, 95, 100]);
    assert.equal(new Set(sink.deliveries.map((a) => a.idempotencyKey)).size, 4);
    assert.equal(await c.redeliverAlerts(), 0, 'all delivered: nothing pending');
  });

  it('estimates with the operation default for max output tokens', async () => {
    const { c } = setup({ defaultMaxOutputTokens: 100, operations: { 'llm.long': { maxOutputTokens: 8000 } }, prices: { m: { input: '1', output: '1' } } });
    assert.equal(c.estimate({ name: 'llm.short', cost: { model: 'm', inputTokens: 0 } }).micros, 100);
    assert.equal(c.estimate({ name: 'llm.long', cost: { model: 'm', inputTokens: 0 } }).micros, 8000);
  });

  it('fails closed with BudgetUnavailable when the store is broken', async () => {
    const { c, store, ready } = setup({ budgets: [{ scope: 'tenant', daily: '1.00' }] });
    await ready;
    await (store as unknown as { runner: { db: { close(): void } } }).runner.db.close();
    await assert.rejects(c.reserve('acme', undefined, 1), BudgetUnavailable);
    await assert.rejects(c.utilisation('acme'), (e: unknown) => e instanceof BudgetUnavailable && /budgets fail closed/.test((e as Error).message));
  });
});
