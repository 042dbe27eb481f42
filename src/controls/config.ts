/**
 * `settings.cost` and `settings.rateLimits` of a pack: validated against config.schema.json (every
 * problem at once), then compiled once into what the controllers use — amounts in integer
 * micro-dollars, globs as patterns, defaults filled in.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { ConfigError } from '../errors.js';
import { describeSchemaError } from '../util/schemas.js';
import { globToRegexSource } from '../util/glob.js';
import { BUDGET_SCOPES, DEFAULT_BUDGETS, type BudgetRule, type BudgetScope, type CompiledBudgets, type OperationLimits } from './cost/budgets.js';
import { parseUsd } from './cost/money.js';
import { priceTable, type PriceOverride, type PriceTable } from './cost/prices.js';
import type { RateDimension, RateRule, StoreFailureMode } from './rate/limiter.js';
import schema from './config.schema.json' with { type: 'json' };

export { schema as controlsSchema };

interface CostSettings {
  budgets?: Array<{ scope: BudgetScope; tenant?: string; daily?: string; monthly?: string }>;
  maxCostPerCall?: string;
  operations?: Record<string, { maxCostPerCall?: string; maxOutputTokens?: number }>;
  defaultMaxOutputTokens?: number;
  reservationTtlSeconds?: number;
  alerts?: { thresholds?: number[]; webhook?: { url: string; secretEnv: string } };
  throttle?: { startPercent?: number; floor?: number };
  prices?: Record<string, PriceOverride>;
}

interface RateSettings {
  onStoreError?: StoreFailureMode;
  rules?: Array<{
    id: string; by?: RateDimension[]; limit: number; periodSeconds: number; burst?: number; actions?: string[]; onStoreError?: StoreFailureMode; throttle?: boolean;
  }>;
}

export interface ControlSettings {
  cost?: CostSettings;
  rateLimits?: RateSettings;
}

export interface CompiledControls {
  budgets: CompiledBudgets;
  rateLimits: { rules: RateRule[] };
  prices: PriceTable;
}

let validate: ValidateFunction | undefined;
function validator(): ValidateFunction {
  return (validate ??= new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema));
}

function compileBudgets(c: CostSettings): CompiledBudgets {
  const seen = new Set<string>();
  const rules: BudgetRule[] = (c.budgets ?? []).map((b, i) => {
    const where = `settings.cost.budgets[${i}]`;
    const id = `${b.scope}\u0000${b.tenant ?? ''}`;
    if (seen.has(id)) throw new ConfigError(`${where}: a second ${b.scope} budget${b.tenant ? ` for tenant "${b.tenant}"` : ''}; give each scope one rule per tenant`);
    seen.add(id);
    return {
      scope: b.scope,
      ...(b.tenant !== undefined ? { tenant: b.tenant } : {}),
      ...(b.daily !== undefined ? { daily: parseUsd(b.daily, `${where}.daily`) } : {}),
      ...(b.monthly !== undefined ? { monthly: parseUsd(b.monthly, `${where}.monthly`) } : {}),
    };
  });
  // A daily limit above the monthly one can never be reached: almost certainly a typo.
  for (const [i, r] of rules.entries()) {
    if (r.daily !== undefined && r.monthly !== undefined && r.daily > r.monthly) {
      throw new ConfigError(`settings.cost.budgets[${i}]: the daily limit is above the monthly one`);
    }
  }
  const operations: Record<string, OperationLimits> = {};
  for (const [name, op] of Object.entries(c.operations ?? {})) {
    operations[name] = {
      ...(op.maxCostPerCall !== undefined ? { maxCostPerCallMicros: parseUsd(op.maxCostPerCall, `settings.cost.operations.${name}.maxCostPerCall`) } : {}),
      ...(op.maxOutputTokens !== undefined ? { maxOutputTokens: op.maxOutputTokens } : {}),
    };
  }
  return {
    rules: rules.sort((a, b) => BUDGET_SCOPES.indexOf(a.scope) - BUDGET_SCOPES.indexOf(b.scope)),
    ...(c.maxCostPerCall !== undefined ? { maxCostPerCallMicros: parseUsd(c.maxCostPerCall, 'settings.cost.maxCostPerCall') } : {}),
    operations,
    defaultMaxOutputTokens: c.defaultMaxOutputTokens ?? DEFAULT_BUDGETS.defaultMaxOutputTokens,
    reservationTtlSeconds: c.reservationTtlSeconds ?? DEFAULT_BUDGETS.reservationTtlSeconds,
    alertThresholds: [...(c.alerts?.thresholds ?? DEFAULT_BUDGETS.alertThresholds)].sort((a, b) => a - b),
    throttle: { startPercent: c.throttle?.startPercent ?? DEFAULT_BUDGETS.throttle.startPercent, floor: c.throttle?.floor ?? DEFAULT_BUDGETS.throttle.floor },
    ...(c.alerts?.webhook ? { alertWebhook: { ...c.alerts.webhook } } : {}),
  };
}

function compileRate(r: RateSettings): RateRule[] {
  const ids = new Set<string>();
  return (r.rules ?? []).map((rule, i) => {
    if (ids.has(rule.id)) throw new ConfigError(`settings.rateLimits.rules[${i}]: rule id "${rule.id}" is used twice`);
    ids.add(rule.id);
    const by = rule.by ?? ['tenant'];
    const burst = rule.burst ?? rule.limit;
    return {
      id: rule.id,
      by,
      limit: rule.limit,
      periodSeconds: rule.periodSeconds,
      burst,
      ...(rule.actions ? { actions: rule.actions.map((g) => new RegExp(globToRegexSource(g))) } : {}),
      onStoreError: rule.onStoreError ?? r.onStoreError ?? 'fail-closed',
      throttle: rule.throttle ?? by.includes('tenant'),
    };
  });
}

/** Validates and compiles a pack's `settings` (other keys, e.g. guardrails, are ignored here). ConfigError lists every problem. */
export function compileControls(settings: unknown = {}): CompiledControls {
  const s = (settings ?? {}) as Record<string, unknown>;
  if (typeof s !== 'object' || Array.isArray(s)) throw new ConfigError('settings must be an object');
  const mine: ControlSettings = {
    ...(s.cost !== undefined ? { cost: s.cost as CostSettings } : {}),
    ...(s.rateLimits !== undefined ? { rateLimits: s.rateLimits as RateSettings } : {}),
  };
  const v = validator();
  if (!v(mine)) {
    const problems = (v.errors ?? []).map((e) => `settings.${describeSchemaError(e)}`);
    throw new ConfigError(`invalid cost/rate-limit settings:\n  ${problems.join('\n  ')}`);
  }
  return {
    budgets: compileBudgets(mine.cost ?? {}),
    rateLimits: { rules: compileRate(mine.rateLimits ?? {}) },
    prices: priceTable(mine.cost?.prices ?? {}),
  };
}
