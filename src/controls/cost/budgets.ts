/**
 * Which budgets a call draws on. Budgets are per tenant, and optionally per principal or per API key
 * within a tenant, each with a daily and/or monthly limit. A rule naming a tenant replaces the default
 * rule of its scope for that tenant (its limits, not merged with the default's).
 */
import type { LedgerLine } from './budget-store.js';
import type { Micros } from './money.js';
import { periodOf, type BudgetWindow, type Period } from './periods.js';
import type { ThrottleCurve } from './throttle.js';

export type BudgetScope = 'tenant' | 'principal' | 'apiKey';
export const BUDGET_SCOPES: readonly BudgetScope[] = ['tenant', 'principal', 'apiKey'];

export interface BudgetRule {
  scope: BudgetScope;
  /** Only this tenant (overrides the scope's default rule); absent: every tenant. */
  tenant?: string;
  daily?: Micros;
  monthly?: Micros;
}

export interface OperationLimits {
  maxCostPerCallMicros?: Micros;
  maxOutputTokens?: number;
}

/** `settings.cost`, compiled. */
export interface CompiledBudgets {
  rules: BudgetRule[];
  maxCostPerCallMicros?: Micros;
  /** By action name. */
  operations: Record<string, OperationLimits>;
  defaultMaxOutputTokens: number;
  reservationTtlSeconds: number;
  /** Percent, ascending. */
  alertThresholds: number[];
  throttle: ThrottleCurve;
  /** Where alerts go, when the pack names a webhook (its secret comes from the environment). */
  alertWebhook?: { url: string; secretEnv: string };
}

export const DEFAULT_BUDGETS: CompiledBudgets = {
  rules: [],
  operations: {},
  defaultMaxOutputTokens: 4096,
  reservationTtlSeconds: 900,
  alertThresholds: [50, 80, 95, 100],
  throttle: { startPercent: 80, floor: 0.1 },
};

export interface BudgetSubject {
  tenant: string;
  principal?: string;
  apiKey?: string;
}

export interface BudgetLine extends LedgerLine {
  scope: BudgetScope;
  window: BudgetWindow;
  periodInfo: Period;
  /** e.g. `daily budget of tenant "acme"`. */
  label: string;
}

const part = (name: string, value: string) => `${name}=${encodeURIComponent(value)}`;

/** The ledger key of a scope for a subject: `tenant=acme`, `tenant=acme;principal=bob`. */
export function budgetKey(scope: BudgetScope, s: BudgetSubject): string | undefined {
  const tenant = part('tenant', s.tenant);
  if (scope === 'tenant') return tenant;
  const id = scope === 'principal' ? s.principal : s.apiKey;
  return id === undefined ? undefined : `${tenant};${part(scope, id)}`;
}

function ruleFor(rules: readonly BudgetRule[], scope: BudgetScope, tenant: string): BudgetRule | undefined {
  return rules.find((r) => r.scope === scope && r.tenant === tenant) ?? rules.find((r) => r.scope === scope && r.tenant === undefined);
}

function describe(scope: BudgetScope, window: BudgetWindow, s: BudgetSubject): string {
  const w = window === 'day' ? 'daily' : 'monthly';
  if (scope === 'tenant') return `${w} budget of tenant "${s.tenant}"`;
  return `${w} budget of ${scope === 'principal' ? 'principal' : 'API key'} "${scope === 'principal' ? s.principal : s.apiKey}" in tenant "${s.tenant}"`;
}

/** Every budget line that applies to `subject` at `now` (its current day and month periods). */
export function budgetLinesFor(rules: readonly BudgetRule[], subject: BudgetSubject, now: Date): BudgetLine[] {
  const lines: BudgetLine[] = [];
  for (const scope of BUDGET_SCOPES) {
    const key = budgetKey(scope, subject);
    const rule = key && ruleFor(rules, scope, subject.tenant);
    if (!key || !rule) continue;
    for (const [window, limit] of [['day', rule.daily], ['month', rule.monthly]] as const) {
      if (limit === undefined) continue;
      const p = periodOf(window, now);
      lines.push({ key, period: p.id, limitMicros: limit, scope, window, periodInfo: p, label: describe(scope, window, subject) });
    }
  }
  return lines;
}
