/**
 * The seed's alert rules, evaluated by the service itself (for deployments without Prometheus)
 * and sent to the webhook sink: a high guardrail-violation rate, an approval backlog, refused
 * budgets, engine errors. Edge-triggered: one `firing` event when a rule starts to hold, one
 * `resolved` when it stops. The same rules ship as docs/prometheus/esq-alerts.yml.
 */
import type { Metrics } from './metrics.js';

export interface AlertThresholds {
  /** Guardrail violations per minute. */
  violationsPerMinute: number;
  /** Pending approvals. */
  approvalBacklog: number;
  /** Budget refusals per evaluation window. */
  budgetRefusals: number;
  /** Store errors or rejected reloads per evaluation window. */
  engineErrors: number;
}

export const DEFAULT_THRESHOLDS: AlertThresholds = { violationsPerMinute: 60, approvalBacklog: 25, budgetRefusals: 1, engineErrors: 1 };

export interface Snapshot {
  at: number;
  violations: number;
  pendingApprovals: number;
  budgetRefusals: number;
  engineErrors: number;
}

export type AlertName = 'guardrail_violation_rate' | 'approval_backlog' | 'budget_threshold' | 'engine_errors';

/** Which rules hold between two snapshots. Pure. */
export function firingRules(prev: Snapshot, cur: Snapshot, t: AlertThresholds): Map<AlertName, Record<string, number>> {
  const minutes = Math.max(1 / 60, (cur.at - prev.at) / 60_000);
  const out = new Map<AlertName, Record<string, number>>();
  const rate = (cur.violations - prev.violations) / minutes;
  if (rate >= t.violationsPerMinute) out.set('guardrail_violation_rate', { perMinute: Math.round(rate) });
  if (cur.pendingApprovals >= t.approvalBacklog) out.set('approval_backlog', { pending: cur.pendingApprovals });
  if (cur.budgetRefusals - prev.budgetRefusals >= t.budgetRefusals) out.set('budget_threshold', { refusals: cur.budgetRefusals - prev.budgetRefusals });
  if (cur.engineErrors - prev.engineErrors >= t.engineErrors) out.set('engine_errors', { errors: cur.engineErrors - prev.engineErrors });
  return out;
}

async function total(metric: { get(): Promise<{ values: Array<{ value: number; labels: Record<string, unknown> }> }> }, filter?: (l: Record<string, unknown>) => boolean): Promise<number> {
  return (await metric.get()).values.filter((v) => !filter || filter(v.labels)).reduce((n, v) => n + v.value, 0);
}

export async function snapshot(m: Metrics, at = Date.now()): Promise<Snapshot> {
  return {
    at,
    violations: await total(m.guardrailViolations),
    pendingApprovals: await total(m.approvalsPending),
    budgetRefusals: await total(m.costBudgetExceeded),
    engineErrors: (await total(m.storeErrors)) + (await total(m.policyReloads, (l) => l.result === 'rejected')),
  };
}

/** Runs the rules every `everyMs` and reports state changes. */
export class AlertEvaluator {
  #prev: Snapshot | undefined;
  #firing = new Set<AlertName>();
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly metrics: Metrics,
    private readonly send: (type: string, data: Record<string, unknown>) => void,
    private readonly thresholds: AlertThresholds = DEFAULT_THRESHOLDS,
  ) {}

  async tick(at = Date.now()): Promise<void> {
    const cur = await snapshot(this.metrics, at);
    if (this.#prev) {
      const now = firingRules(this.#prev, cur, this.thresholds);
      for (const [name, values] of now) if (!this.#firing.has(name)) this.send(`alert.${name}`, { state: 'firing', ...values });
      for (const name of this.#firing) if (!now.has(name)) this.send(`alert.${name}`, { state: 'resolved' });
      this.#firing = new Set(now.keys());
    }
    this.#prev = cur;
  }

  start(everyMs = 30_000): this {
    this.#timer = setInterval(() => void this.tick().catch(() => undefined), everyMs);
    this.#timer.unref();
    return this;
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
