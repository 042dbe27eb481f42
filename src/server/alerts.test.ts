import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AlertEvaluator, DEFAULT_THRESHOLDS, firingRules } from './alerts.js';
import { createMetrics } from './metrics.js';

describe('alert rules', () => {
  const base = { at: 0, violations: 0, pendingApprovals: 0, budgetRefusals: 0, engineErrors: 0 };
  it('fire on a high violation rate, a backlog, budget refusals and engine errors', () => {
    const r = firingRules(base, { at: 60_000, violations: 120, pendingApprovals: 30, budgetRefusals: 2, engineErrors: 1 }, DEFAULT_THRESHOLDS);
    assert.deepEqual([...r.keys()].sort(), ['approval_backlog', 'budget_threshold', 'engine_errors', 'guardrail_violation_rate']);
    assert.equal(firingRules(base, { ...base, at: 60_000, violations: 10 }, DEFAULT_THRESHOLDS).size, 0);
  });

  it('send one firing event on the way up and one resolved on the way down', async () => {
    let pending = 0;
    const m = createMetrics({ pendingApprovals: async () => pending });
    const sent: Array<[string, string]> = [];
    const ev = new AlertEvaluator(m, (type, data) => sent.push([type, String(data.state)]));
    await ev.tick(0);
    pending = 40;
    await ev.tick(30_000);
    await ev.tick(60_000);
    pending = 0;
    await ev.tick(90_000);
    assert.deepEqual(sent, [
      ['alert.approval_backlog', 'firing'],
      ['alert.approval_backlog', 'resolved'],
    ]);
  });
});
