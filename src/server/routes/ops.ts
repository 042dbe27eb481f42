import type { FastifyInstance } from 'fastify';
import { HttpError } from '../http-errors.js';
import { requireRole, type ServiceDeps } from '../app.js';

export function registerOpsRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  app.get('/healthz', { schema: { summary: 'Liveness', security: [] } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: { summary: 'Readiness: policy loaded, store reachable, accepting requests', security: [] } }, async (_req, reply) => {
    if (!deps.accepting()) return reply.status(503).send({ status: 'shutting down' });
    try {
      await deps.store.auditHead();
    } catch (e) {
      deps.metrics.storeErrors.inc({ operation: 'ready' });
      throw new HttpError(503, 'ESQ_UNAVAILABLE', `store unreachable: ${(e as Error).message}`);
    }
    const st = deps.policy.status;
    return { status: 'ready', policy: { name: deps.policy.current.name, version: st.version, lastReloadOk: st.ok } };
  });

  // Which key is this? For SDKs and scripts checking their credentials (and the authenticated floor in the bench).
  app.get('/v1/whoami', { schema: { summary: 'The calling key: id, label, roles and tenant scope' } }, async (req) => {
    const p = req.principal;
    if (!p) throw new HttpError(401, 'ESQ_UNAUTHENTICATED', 'missing credentials');
    return { keyId: p.keyId, label: p.label, roles: p.roles, tenant: p.tenant };
  });

  app.get('/metrics', { schema: { summary: 'Prometheus metrics', hide: true } }, async (req, reply) => {
    requireRole(req, 'read');
    return reply.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
}
