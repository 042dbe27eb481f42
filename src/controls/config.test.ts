import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { ConfigError } from '../errors.js';
import { compileControls } from './config.js';

const packYaml = `
settings:
  guardrails: { minScore: 0.5 }
  cost:
    budgets:
      - { scope: tenant, daily: "50.00", monthly: "$1000" }
      - { scope: tenant, tenant: va-east, monthly: "5000.50" }
      - { scope: principal, daily: "5" }
    maxCostPerCall: "2.00"
    operations:
      llm.chat: { maxCostPerCall: "0.25", maxOutputTokens: 2048 }
    reservationTtlSeconds: 300
    alerts:
      thresholds: [95, 50, 80]
      webhook: { url: "https://hooks.example/esq", secretEnv: ESQ_ALERT_SECRET }
    throttle: { startPercent: 75, floor: 0.2 }
    prices:
      in-house-70b: { input: "0.40", output: "0.80" }
  rateLimits:
    onStoreError: fail-open
    rules:
      - { id: tenant, limit: 600, periodSeconds: 60 }
      - { id: exports, by: [tenant, principal], limit: 10, periodSeconds: 3600, burst: 2, actions: ["export_*"], onStoreError: fail-closed }
`;

describe('compileControls', () => {
  it('compiles a pack\'s cost and rate-limit settings into integer micro-dollars and rules', () => {
    const { settings } = parse(packYaml) as { settings: unknown };
    const c = compileControls(settings);
    assert.deepEqual(c.budgets.rules, [
      { scope: 'tenant', daily: 50_000_000, monthly: 1_000_000_000 },
      { scope: 'tenant', tenant: 'va-east', monthly: 5_000_500_000 },
      { scope: 'principal', daily: 5_000_000 },
    ]);
    assert.equal(c.budgets.maxCostPerCallMicros, 2_000_000);
    assert.deepEqual(c.budgets.operations, { 'llm.chat': { maxCostPerCallMicros: 250_000, maxOutputTokens: 2048 } });
    assert.deepEqual(c.budgets.alertThresholds, [50, 80, 95]);
    assert.deepEqual(c.budgets.throttle, { startPercent: 75, floor: 0.2 });
    assert.deepEqual(c.budgets.alertWebhook, { url: 'https://hooks.example/esq', secretEnv: 'ESQ_ALERT_SECRET' });
    assert.equal(c.budgets.reservationTtlSeconds, 300);
    assert.equal(c.budgets.defaultMaxOutputTokens, 4096);
    assert.equal(c.prices.lookup('in-house-70b', new Date())?.outputPerMtok, 800_000);
    const [tenant, exports] = c.rateLimits.rules;
    assert.deepEqual({ ...tenant, actions: undefined }, { id: 'tenant', by: ['tenant'], limit: 600, periodSeconds: 60, burst: 600, onStoreError: 'fail-open', throttle: true, actions: undefined });
    assert.equal(exports!.onStoreError, 'fail-closed');
    assert.equal(exports!.burst, 2);
    assert.ok(exports!.actions![0]!.test('export_phi') && !exports!.actions![0]!.test('read_export_log'));
  });

  it('has defaults for an empty pack', () => {
    const c = compileControls({});
    assert.deepEqual(c.budgets.rules, []);
    assert.deepEqual(c.budgets.alertThresholds, [50, 80, 95, 100]);
    assert.deepEqual(c.rateLimits.rules, []);
    assert.equal(compileControls(undefined).budgets.reservationTtlSeconds, 900);
  });

  it('reports every schema problem at once, with its path', () => {
    try {
      compileControls({
        cost: { budgets: [{ scope: 'team', daily: '1' }, { scope: 'tenant' }], maxCostPerCall: 2, surprise: true },
        rateLimits: { rules: [{ id: 'x', limit: 0, periodSeconds: 60 }] },
      });
      assert.fail('should have thrown');
    } catch (e) {
      assert.ok(e instanceof ConfigError);
      const m = (e as Error).message;
      for (const want of ['settings.cost.budgets[0].scope: must be one of tenant, principal, apiKey', 'settings.cost.budgets[1]', 'settings.cost.maxCostPerCall: must be string', 'unknown field "surprise"', 'settings.rateLimits.rules[0].limit']) {
        assert.ok(m.includes(want), `${want} in:\n${m}`);
      }
    }
  });

  it('refuses settings that validate but cannot be meant', () => {
    assert.throws(() => compileControls({ cost: { budgets: [{ scope: 'tenant', daily: '1' }, { scope: 'tenant', monthly: '9' }] } }), /a second tenant budget/);
    assert.throws(() => compileControls({ cost: { budgets: [{ scope: 'tenant', daily: '10', monthly: '9' }] } }), /daily limit is above the monthly/);
    assert.throws(() => compileControls({ rateLimits: { rules: [{ id: 'a', limit: 1, periodSeconds: 1 }, { id: 'a', limit: 2, periodSeconds: 1 }] } }), /used twice/);
    assert.throws(() => compileControls({ cost: { maxCostPerCall: '1.1234567' } }), ConfigError);
  });

  it('ships a schema fragment that is valid JSON with the two settings sections', () => {
    const schema = JSON.parse(readFileSync(new URL('./config.schema.json', import.meta.url), 'utf8')) as { properties: Record<string, unknown> };
    assert.deepEqual(Object.keys(schema.properties).sort(), ['cost', 'rateLimits']);
  });
});
