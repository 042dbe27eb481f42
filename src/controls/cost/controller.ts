/**
 * The cost controller the decision pipeline calls: estimate → reserve (atomic, or refused with the
 * budget named) → the call runs → settle(actual) or release. Budgets fail closed: any store failure
 * is a BudgetUnavailable, never a silent allow and never a per-replica fallback.
 */
import { randomUUID } from 'node:crypto';
import type { Action } from '../../engine/types.js';
import { InvalidInputError } from '../../errors.js';
import { AlertDispatcher, type AlertSink } from './alerts.js';
import type { BudgetStore, LineState, SettleStatus } from './budget-store.js';
import { budgetLinesFor, DEFAULT_BUDGETS, type BudgetLine, type BudgetSubject, type CompiledBudgets } from './budgets.js';
import { BudgetExceeded, BudgetUnavailable } from './errors.js';
import { estimateCost, type CostEstimate } from './estimate.js';
import { checkMicros, type Micros } from './money.js';
import { secondsUntilEnd } from './periods.js';
import { bundledPrices, type PriceTable } from './prices.js';
import { throttle } from './throttle.js';

export interface CostControllerOptions {
  store: BudgetStore;
  /** Default: the bundled table. */
  prices?: PriceTable;
  /** Default: the wall clock. Everything time-based (periods, TTLs, alerts) reads this. */
  clock?: () => Date;
  /** `compileControls(settings).budgets`. Default: no budgets (reservations are still recorded). */
  budgets?: CompiledBudgets;
  /** Where threshold alerts go. None: they are recorded, not delivered. */
  sink?: AlertSink;
  ids?: () => string;
}

export interface LineReport {
  budget: string;
  budgetKey: string;
  period: string;
  limitMicros: Micros;
  spentMicros: Micros;
  reservedMicros: Micros;
  /** (spent + reserved) / limit. */
  utilisation: number;
}

export interface Reservation {
  id: string;
  amountMicros: Micros;
  expiresAt: Date;
  lines: LineReport[];
}

export type ReserveResult = { ok: true; reservation: Reservation } | { ok: false; error: BudgetExceeded };

export interface ReserveOptions {
  apiKey?: string;
  /** The action name: selects the per-operation maximum cost. */
  operation?: string;
  ttlSeconds?: number;
}

export interface Utilisation {
  /** Of the tightest budget line (0 when there are none). */
  utilisation: number;
  /** Allowed rate factor from the throttle curve. */
  throttleFactor: number;
  /** When a budget is spent out: seconds until its period ends. */
  exhaustedForSeconds?: number;
  lines: LineReport[];
}

export interface CostController {
  readonly prices: PriceTable;
  estimate(action: Action): CostEstimate;
  reserve(tenant: string, principal: string | undefined, estimate: CostEstimate | Micros, opts?: ReserveOptions): Promise<ReserveResult>;
  settle(reservationId: string, actualMicros: Micros): Promise<{ status: Exclude<SettleStatus, 'unknown'>; lines: LineReport[] }>;
  release(reservationId: string): Promise<boolean>;
  utilisation(tenant: string, principal?: string, apiKey?: string): Promise<Utilisation>;
  /** Releases lapsed reservations (also done on demand when a reservation would be refused). */
  expire(tenant?: string): Promise<number>;
  /** Redelivers alerts whose delivery lapsed; call it on a timer in the service. */
  redeliverAlerts(): Promise<number>;
  /** Waits for alert deliveries in flight. */
  flushAlerts(): Promise<void>;
}

function report(line: LineState, label: string): LineReport {
  const committed = line.spentMicros + line.reservedMicros;
  return {
    budget: label,
    budgetKey: line.key,
    period: line.period,
    limitMicros: line.limitMicros,
    spentMicros: line.spentMicros,
    reservedMicros: line.reservedMicros,
    utilisation: line.limitMicros > 0 ? committed / line.limitMicros : committed > 0 ? Infinity : 0,
  };
}

async function guarded<T>(operation: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof InvalidInputError) throw e;
    throw new BudgetUnavailable(operation, e);
  }
}

export function createCostController(opts: CostControllerOptions): CostController {
  const store = opts.store;
  const prices = opts.prices ?? bundledPrices();
  const clock = opts.clock ?? (() => new Date());
  const cfg = opts.budgets ?? DEFAULT_BUDGETS;
  const ids = opts.ids ?? randomUUID;
  const alerts = new AlertDispatcher(store, opts.sink, clock);
  const labelOf = (lines: readonly BudgetLine[], key: string, period: string) =>
    lines.find((l) => l.key === key && l.period === period)?.label ?? key;

  function perCallLimit(operation: string | undefined): { limit: Micros; name: string } | undefined {
    const op = operation !== undefined ? cfg.operations[operation]?.maxCostPerCallMicros : undefined;
    if (op !== undefined) return { limit: op, name: `maximum cost per call of ${operation}` };
    if (cfg.maxCostPerCallMicros !== undefined) return { limit: cfg.maxCostPerCallMicros, name: 'maximum cost per call' };
    return undefined;
  }

  return {
    prices,

    estimate(action) {
      const op = cfg.operations[action.name];
      return estimateCost(action, { prices, now: clock(), defaultMaxOutputTokens: op?.maxOutputTokens ?? cfg.defaultMaxOutputTokens });
    },

    async reserve(tenant, principal, estimate, ro = {}) {
      if (typeof tenant !== 'string' || tenant === '') throw new InvalidInputError('reserve needs a tenant');
      const amount = checkMicros(typeof estimate === 'number' ? estimate : estimate.micros, 'estimate');
      const perCall = perCallLimit(ro.operation);
      if (perCall && amount > perCall.limit) {
        return { ok: false, error: new BudgetExceeded({ kind: 'per-call', budget: perCall.name, limitMicros: perCall.limit, spentMicros: 0, reservedMicros: 0, requestedMicros: amount }) };
      }
      const now = clock();
      const subject: BudgetSubject = { tenant, ...(principal !== undefined ? { principal } : {}), ...(ro.apiKey !== undefined ? { apiKey: ro.apiKey } : {}) };
      const lines = budgetLinesFor(cfg.rules, subject, now);
      const ttl = ro.ttlSeconds ?? cfg.reservationTtlSeconds;
      const input = {
        id: ids(),
        tenant,
        ...(principal !== undefined ? { principal } : {}),
        lines: lines.map(({ key, period, limitMicros }) => ({ key, period, limitMicros })),
        amountMicros: amount,
        nowMs: now.getTime(),
        expiresAtMs: now.getTime() + ttl * 1000,
        thresholds: cfg.alertThresholds,
        alertLeaseMs: alerts.leaseMs,
      };
      let outcome = await guarded('reserve', () => store.reserve(input));
      // Lapsed holds are released lazily, when they are in the way: no sweeper job to drift or die.
      if (!outcome.ok && outcome.line.reservedMicros > 0 && (await guarded('expire', () => store.expire(input.nowMs, tenant))) > 0) {
        outcome = await guarded('reserve', () => store.reserve(input));
      }
      if (!outcome.ok) {
        const line = lines.find((l) => l.key === outcome.line.key && l.period === outcome.line.period)!;
        return {
          ok: false,
          error: new BudgetExceeded({
            kind: 'budget', budget: line.label, budgetKey: line.key, window: line.window, period: line.period, limitMicros: line.limitMicros,
            spentMicros: outcome.line.spentMicros, reservedMicros: outcome.line.reservedMicros, requestedMicros: amount,
            retryAfterSeconds: secondsUntilEnd(line.periodInfo, now),
          }),
        };
      }
      alerts.dispatch(outcome.alerts);
      return {
        ok: true,
        reservation: { id: input.id, amountMicros: amount, expiresAt: new Date(input.expiresAtMs), lines: outcome.lines.map((l) => report(l, labelOf(lines, l.key, l.period))) },
      };
    },

    async settle(id, actualMicros) {
      const actual = checkMicros(actualMicros, 'actual cost');
      const out = await guarded('settle', () => store.settle(id, actual, clock().getTime(), cfg.alertThresholds, alerts.leaseMs));
      if (out.status === 'unknown') throw new InvalidInputError(`no reservation "${id}"`);
      if (out.status === 'already-settled' && out.actualMicros !== actual) {
        throw new InvalidInputError(`reservation "${id}" was already settled at ${out.actualMicros} µ$, not ${actual}`);
      }
      alerts.dispatch(out.alerts);
      return { status: out.status, lines: out.lines.map((l) => report(l, l.key)) };
    },

    release(id) {
      return guarded('release', () => store.release(id, clock().getTime()));
    },

    async utilisation(tenant, principal, apiKey) {
      const now = clock();
      const lines = budgetLinesFor(cfg.rules, { tenant, ...(principal !== undefined ? { principal } : {}), ...(apiKey !== undefined ? { apiKey } : {}) }, now);
      const states = await guarded('utilisation', () => store.usage(lines));
      const reports = states.map((s, i) => report(s, lines[i]!.label));
      const worst = reports.reduce((m, r) => Math.max(m, r.utilisation), 0);
      const exhausted = reports.map((r, i) => ({ r, line: lines[i]! })).filter(({ r }) => r.utilisation >= 1);
      return {
        utilisation: worst,
        throttleFactor: throttle(worst, cfg.throttle),
        ...(exhausted.length ? { exhaustedForSeconds: Math.min(...exhausted.map(({ line }) => secondsUntilEnd(line.periodInfo, now))) } : {}),
        lines: reports,
      };
    },

    expire(tenant) {
      return guarded('expire', () => store.expire(clock().getTime(), tenant));
    },

    redeliverAlerts() {
      return guarded('alert redelivery', () => alerts.redeliver());
    },

    flushAlerts() {
      return alerts.flush();
    },
  };
}
