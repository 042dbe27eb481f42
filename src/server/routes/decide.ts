import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Action } from '../../engine/types.js';
import { schemaPath } from '../../util/schemas.js';
import { requireRole, scopedTenant, type ServiceDeps } from '../app.js';
import { decisionAuditRecord } from '../audit-record.js';
import { settleDeferral } from '../../controls/approvals/deferral.js';
import { admit } from '../../controls/cost/admission.js';
import { HttpError } from '../http-errors.js';

/** The published Action schema, as a request body schema (Fastify's validator speaks draft-07; the keywords agree). */
export function actionBodySchema(): object {
  const { $schema: _s, $id: _i, ...schema } = JSON.parse(readFileSync(schemaPath('action'), 'utf8')) as Record<string, unknown>;
  return schema;
}

export function registerDecisionRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  app.post(
    '/v1/decide',
    {
      schema: {
        summary: 'Decide an action',
        description: 'An Action in, a Decision out. 200 for every decision including blocks; 202 when deferred for approval.',
        body: actionBodySchema(),
      },
    },
    async (req, reply) => {
      const caller = requireRole(req, 'decide');
      const action = req.body as Action;
      const tenant = scopedTenant(caller, action.tenant);
      if (tenant !== undefined) action.tenant = tenant;
      const started = process.hrtime.bigint();
      const now = deps.now?.() ?? new Date();
      const controls = deps.controls?.for(deps.policy.current);
      if (controls?.hasLimits || controls?.hasBudgets) {
        // Rate limits, shrunk as the tenant's budget fills up (throttling). Refused requests consume nothing.
        const adm = await admit(controls.cost, controls.limiter, { tenant: action.tenant ?? 'default', apiKey: caller.keyId, action: action.name, ...(action.principal?.id ? { principal: action.principal.id } : {}) });
        for (const [k, v] of Object.entries(adm.headers)) reply.header(k, v);
        if (!adm.allowed) {
          throw new HttpError(429, 'ESQ_RATE_LIMITED', `rate limit reached for tenant "${action.tenant ?? 'default'}"${adm.factor < 1 ? ` (throttled to ${Math.round(adm.factor * 100)} % as the budget is ${Math.round(adm.utilisation * 100)} % used)` : ''}; retry after ${adm.retryAfterSeconds ?? 1} s`, undefined, { 'retry-after': String(adm.retryAfterSeconds ?? 1) });
        }
      }
      let { decision, incident } = deps.governor.evaluate(action);
      if (decision.effect === 'defer') {
        // A first submission raises an approval request; a resubmission uses its approval, once.
        const settled = await settleDeferral(deps, action, decision, caller.keyId, now);
        decision = settled.decision;
        if (settled.incident) incident = settled.incident;
        const a = settled.created;
        if (a) deps.notify?.('approval.created', { id: a.id, tenant: a.tenant, action: action.name, riskClass: a.riskClass, required: a.required, expiresAt: a.expiresAt });
      }
      deps.metrics.policyLatency.observe({ stage: 'rules' }, decision.timings.evalMicros / 1e6);
      if (controls?.hasBudgets && decision.allow && action.cost) {
        // Reserve, then settle: the estimate is held atomically against every budget line.
        const r = await controls.cost.reserve(action.tenant ?? 'default', action.principal?.id, controls.cost.estimate(action), { apiKey: caller.keyId, operation: action.name });
        if (r.ok) decision.reservation = { id: r.reservation.id, amountMicros: Number(r.reservation.amountMicros), expiresAt: r.reservation.expiresAt.toISOString() };
        else {
          deps.metrics.costBudgetExceeded.inc({ tenant: action.tenant ?? 'default' });
          ({ decision, incident } = deps.governor.refuse(action, decision, 'ESQ-BUDGET', r.error.message));
        }
      }
      if (incident) {
        incident.caller.apiKey = caller.keyId;
        deps.metrics.incidents.inc({ rule: incident.ruleId });
        deps.notify?.('incident.created', { id: incident.id, ruleId: incident.ruleId, severity: incident.severity, action: incident.action, tenant: incident.caller.tenant ?? null }, incident.id);
      }
      if ((decision.effect === 'block' || decision.effect === 'scrub') && decision.findings) {
        for (const f of decision.findings) deps.metrics.guardrailViolations.inc({ entity: f.entity });
      }
      // Acknowledged only once the audit record and the incident are durable (group commit keeps this cheap).
      const rec = await deps.audit.append(decisionAuditRecord(action, decision, caller, deps.governor.hasher, incident), incident);
      decision.auditSeq = rec.seq;
      deps.metrics.decisions.inc({ effect: decision.effect });
      deps.metrics.policyLatency.observe({ stage: 'total' }, Number(process.hrtime.bigint() - started) / 1e9);
      return reply.status(decision.effect === 'defer' ? 202 : 200).send(decision);
    },
  );
}
