import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { budgetKey, budgetLinesFor, type BudgetRule } from './budgets.js';
import { periodOf, secondsUntilEnd } from './periods.js';
import { throttle } from './throttle.js';

describe('periods', () => {
  it('are UTC calendar days and months, keyed by their date', () => {
    const at = new Date('2026-12-31T23:59:59.999Z');
    assert.equal(periodOf('day', at).id, 'day:2026-12-31');
    assert.equal(periodOf('month', at).id, 'month:2026-12');
    assert.equal(periodOf('month', at).endsAt.toISOString(), '2027-01-01T00:00:00.000Z');
    assert.equal(periodOf('day', new Date('2027-01-01T00:00:00Z')).id, 'day:2027-01-01');
    // Local time zones do not matter: 23:30 in UTC-5 is already the next UTC day.
    assert.equal(periodOf('day', new Date('2026-03-01T23:30:00-05:00')).id, 'day:2026-03-02');
    assert.equal(periodOf('month', new Date('2028-02-29T12:00:00Z')).endsAt.toISOString(), '2028-03-01T00:00:00.000Z');
    assert.equal(secondsUntilEnd(periodOf('day', at), at), 1);
  });
});

describe('budget lines', () => {
  const rules: BudgetRule[] = [
    { scope: 'tenant', daily: 100, monthly: 1000 },
    { scope: 'tenant', tenant: 'big', monthly: 9000 },
    { scope: 'principal', daily: 10 },
    { scope: 'apiKey', monthly: 50 },
  ];
  const now = new Date('2026-11-22T08:00:00Z');

  it('apply the scope default, or the tenant-specific rule instead of it', () => {
    const acme = budgetLinesFor(rules, { tenant: 'acme', principal: 'bob', apiKey: 'k1' }, now);
    assert.deepEqual(acme.map((l) => [l.key, l.period, l.limitMicros]), [
      ['tenant=acme', 'day:2026-11-22', 100],
      ['tenant=acme', 'month:2026-11', 1000],
      ['tenant=acme;principal=bob', 'day:2026-11-22', 10],
      ['tenant=acme;apiKey=k1', 'month:2026-11', 50],
    ]);
    assert.equal(acme[2]!.label, 'daily budget of principal "bob" in tenant "acme"');
    const big = budgetLinesFor(rules, { tenant: 'big' }, now);
    assert.deepEqual(big.map((l) => [l.key, l.period, l.limitMicros]), [['tenant=big', 'month:2026-11', 9000]], 'no daily line: the override replaces the default');
  });

  it('keep keys unambiguous whatever the ids contain', () => {
    assert.notEqual(budgetKey('principal', { tenant: 'a;principal=b', principal: 'c' }), budgetKey('principal', { tenant: 'a', principal: 'b;principal=c' }));
    assert.equal(budgetKey('apiKey', { tenant: 't' }), undefined);
  });
});

describe('throttle curve', () => {
  const curve = { startPercent: 80, floor: 0.1 };
  it('is 1 up to the start, shrinks linearly, and holds the floor from 100 %', () => {
    assert.equal(throttle(0, curve), 1);
    assert.equal(throttle(0.8, curve), 1);
    assert.ok(Math.abs(throttle(0.9, curve) - 0.55) < 1e-12);
    assert.ok(Math.abs(throttle(0.95, curve) - 0.325) < 1e-12);
    assert.equal(throttle(1, curve), 0.1);
    assert.equal(throttle(3, curve), 0.1);
    assert.equal(throttle(Number.NaN, curve), 1);
    assert.equal(throttle(0.99, { startPercent: 100, floor: 0.5 }), 1);
  });
});
