import type { FastifyInstance } from 'fastify';
import type { IncidentQuery } from '../../store/port.js';
import { HttpError } from '../http-errors.js';
import { requireRole, scopedTenant, type ServiceDeps } from '../app.js';

export function registerIncidentRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  app.get(
    '/v1/incidents',
    {
      schema: {
        summary: 'List incidents, newest first',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            since: { type: 'string', format: 'date-time' },
            until: { type: 'string', format: 'date-time' },
            ruleId: { type: 'string' },
            tenant: { type: 'string' },
            limit: { type: 'integer', minimum: 1, maximum: 1000, default: 50 },
            cursor: { type: 'string' },
          },
        },
      },
    },
    async (req) => {
      const caller = requireRole(req, 'read');
      const q = req.query as IncidentQuery & { tenant?: string };
      const tenant = scopedTenant(caller, q.tenant);
      const page = await deps.store.listIncidents({ ...q, ...(tenant !== undefined ? { tenant } : {}) });
      return page;
    },
  );

  app.get('/v1/incidents/:id', { schema: { summary: 'One incident', params: { type: 'object', properties: { id: { type: 'string', maxLength: 64 } } } } }, async (req) => {
    const caller = requireRole(req, 'read');
    const { id } = req.params as { id: string };
    const inc = await deps.store.getIncident(id);
    // Another tenant's incident is reported as absent: its existence is not this key's business.
    if (!inc || (caller.tenant !== null && inc.caller.tenant !== caller.tenant)) throw new HttpError(404, 'ESQ_NOT_FOUND', `no incident ${id}`);
    return inc;
  });
}
