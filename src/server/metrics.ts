/**
 * Prometheus metrics, following Prometheus naming conventions (base units, `_total` counters).
 * Label values come from closed sets (effects, routes, tiers) or from the policy's own rule ids,
 * so cardinality stays bounded by the pack, never by callers.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  decisions: Counter<'effect'>;
  guardrailViolations: Counter<'entity'>;
  policyLatency: Histogram<'stage'>;
  httpRequests: Counter<'route' | 'method' | 'status'>;
  httpLatency: Histogram<'route'>;
  policyReloads: Counter<'result'>;
  storeErrors: Counter<'operation'>;
  authFailures: Counter<'reason'>;
  incidents: Counter<'rule'>;
  auditBatch: Histogram<never>;
  costBudgetExceeded: Counter<'tenant'>;
  approvalsPending: Gauge<never>;
  remoteFallbacks: Counter<'mode'>;
  webhookDeliveries: Counter<'result'>;
}

export function createMetrics(sources: { pendingApprovals?: () => Promise<number> } = {}): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'esq_process_' });
  const m = <T>(x: T) => x;
  return {
    registry,
    decisions: m(new Counter({ name: 'esq_decisions_total', help: 'Decisions made, by effect', labelNames: ['effect'], registers: [registry] })),
    guardrailViolations: m(
      new Counter({ name: 'esq_guardrail_violations_total', help: 'Guardrail findings in refused or scrubbed actions, by entity type', labelNames: ['entity'], registers: [registry] }),
    ),
    policyLatency: m(
      new Histogram({
        name: 'esq_policy_enforcement_latency_seconds',
        help: 'Time to decide one action (stage: rules = CEL evaluation, total = scan + rules + audit)',
        labelNames: ['stage'],
        buckets: [0.000005, 0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1],
        registers: [registry],
      }),
    ),
    httpRequests: m(new Counter({ name: 'esq_http_requests_total', help: 'HTTP requests by route, method and status', labelNames: ['route', 'method', 'status'], registers: [registry] })),
    httpLatency: m(
      new Histogram({ name: 'esq_http_request_duration_seconds', help: 'HTTP request latency by route', labelNames: ['route'], buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1], registers: [registry] }),
    ),
    policyReloads: m(new Counter({ name: 'esq_policy_reloads_total', help: 'Policy reloads by result (ok, rejected)', labelNames: ['result'], registers: [registry] })),
    storeErrors: m(new Counter({ name: 'esq_store_errors_total', help: 'Store operations that failed', labelNames: ['operation'], registers: [registry] })),
    authFailures: m(new Counter({ name: 'esq_auth_failures_total', help: 'Refused credentials by reason', labelNames: ['reason'], registers: [registry] })),
    incidents: m(new Counter({ name: 'esq_incidents_total', help: 'Incidents filed, by rule', labelNames: ['rule'], registers: [registry] })),
    auditBatch: m(new Histogram({ name: 'esq_audit_batch_records', help: 'Audit records per group commit', buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500], registers: [registry] })),
    costBudgetExceeded: m(new Counter({ name: 'esq_cost_budget_exceeded_total', help: 'Actions refused for exceeding a budget', labelNames: ['tenant'], registers: [registry] })),
    approvalsPending: m(
      new Gauge({
        name: 'esq_risk_approvals_pending',
        help: 'Approval requests waiting for a decision (read from the shared store at scrape time)',
        registers: [registry],
        async collect() {
          if (sources.pendingApprovals) this.set(await sources.pendingApprovals());
        },
      }),
    ),
    webhookDeliveries: m(new Counter({ name: 'esq_webhook_deliveries_total', help: 'Webhook events by final result (delivered, dead-letter)', labelNames: ['result'], registers: [registry] })),
    remoteFallbacks: m(new Counter({ name: 'esq_remote_fallbacks_total', help: 'Remote hook calls decided locally because the service was unreachable, by fail mode', labelNames: ['mode'], registers: [registry] })),
  };
}
