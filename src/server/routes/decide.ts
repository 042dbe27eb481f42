import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Action } from '../../engine/types.js';
import { schemaPath } from '../../util/schemas.js';
import { requireRole, scopedTenant, type ServiceDeps } from '../app.js';
import { decisionAuditRecord } from '../audit-record.js';

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
      const { decision, incident } = deps.governor.evaluate(action);
      deps.metrics.policyLatency.observe({ stage: 'rules' }, decision.timings.evalMicros / 1e6);
      if (incident) {
        incident.caller.apiKey = caller.keyId;
        deps.metrics.incidents.inc({ rule: incident.ruleId });
      }
      if ((decision.effect === 'block' || decision.effect === 'scrub') && decision.findings) {
        for (const f of decision.findings) deps.metrics.guardrailViolations.inc({ entity: f.entity });
      }
      // Acknowledged only once the audit record and the incident are durable (group commit keeps this cheap).
      const rec = await deps.audit.append(decisionAuditRecord(action, decision, caller, deps.governor.hasher), incident);
      decision.auditSeq = rec.seq;
      deps.metrics.decisions.inc({ effect: decision.effect });
      deps.metrics.policyLatency.observe({ stage: 'total' }, Number(process.hrtime.bigint() - started) / 1e9);
      return reply.status(decision.effect === 'defer' ? 202 : 200).send(decision);
    },
  );
}
