/**
 * Typed errors of the cost and rate controls. Their codes are not yet in src/errors.ts's closed
 * EsqErrorCode union; until the lead adds them, they pass through this one cast.
 * HTTP mapping (server/): ESQ_BUDGET_EXCEEDED → 402 or 429 as the API decides; the *_UNAVAILABLE codes → 503.
 */
import { EsqError, type EsqErrorCode } from '../../errors.js';
import { formatUsd, type Micros } from './money.js';
import type { BudgetWindow } from './periods.js';

export type ControlErrorCode = 'ESQ_BUDGET_EXCEEDED' | 'ESQ_BUDGET_UNAVAILABLE' | 'ESQ_RATE_LIMIT_UNAVAILABLE';

export class ControlError extends EsqError {
  constructor(code: ControlErrorCode, message: string, options?: { cause?: unknown }) {
    super(code as unknown as EsqErrorCode, message, options);
  }
}

export interface BudgetRefusalInit {
  /** `budget`: a tenant/principal/key budget would be exceeded; `per-call`: the call alone costs too much. */
  kind: 'budget' | 'per-call';
  /** Human name, e.g. `daily budget of tenant "acme"` or `maximum cost per call of llm.chat`. */
  budget: string;
  budgetKey?: string;
  window?: BudgetWindow;
  /** e.g. `day:2026-11-22`. */
  period?: string;
  limitMicros: Micros;
  spentMicros: Micros;
  reservedMicros: Micros;
  requestedMicros: Micros;
  /** Seconds until the period ends and the budget starts again (budget refusals). */
  retryAfterSeconds?: number;
}

/** A call refused because it would exceed a budget or the per-call maximum. Names the budget, period, limit and spend. */
export class BudgetExceeded extends ControlError {
  readonly kind: BudgetRefusalInit['kind'];
  readonly budget: string;
  readonly budgetKey: string | undefined;
  readonly window: BudgetWindow | undefined;
  readonly period: string | undefined;
  readonly limitMicros: Micros;
  readonly spentMicros: Micros;
  readonly reservedMicros: Micros;
  readonly requestedMicros: Micros;
  readonly retryAfterSeconds: number | undefined;

  constructor(init: BudgetRefusalInit) {
    const message =
      init.kind === 'per-call'
        ? `${init.budget} is ${formatUsd(init.limitMicros)}; this call is estimated at ${formatUsd(init.requestedMicros)}`
        : `${init.budget} for ${init.period} would be exceeded: limit ${formatUsd(init.limitMicros)}, spent ${formatUsd(init.spentMicros)}, ` +
          `reserved ${formatUsd(init.reservedMicros)}, this call ${formatUsd(init.requestedMicros)}`;
    super('ESQ_BUDGET_EXCEEDED', message);
    this.kind = init.kind;
    this.budget = init.budget;
    this.budgetKey = init.budgetKey;
    this.window = init.window;
    this.period = init.period;
    this.limitMicros = init.limitMicros;
    this.spentMicros = init.spentMicros;
    this.reservedMicros = init.reservedMicros;
    this.requestedMicros = init.requestedMicros;
    this.retryAfterSeconds = init.retryAfterSeconds;
  }
}

/** The budget store could not be reached or failed: budgets fail closed (the service answers 503). */
export class BudgetUnavailable extends ControlError {
  constructor(operation: string, cause: unknown) {
    super('ESQ_BUDGET_UNAVAILABLE', `budget store unavailable during ${operation}; refusing (budgets fail closed): ${(cause as Error)?.message ?? String(cause)}`, { cause });
  }
}
