import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpError } from '../http-errors.js';
import { requireRole, type ServiceDeps } from '../app.js';

/** The chain spans every tenant, so reading it takes a key without a tenant scope. */
function requireGlobalRead(req: FastifyRequest) {
  const caller = requireRole(req, 'read');
  if (caller.tenant !== null) throw new HttpError(403, 'ESQ_FORBIDDEN', 'the audit log spans all tenants; use a key without a tenant scope');
  return caller;
}

export function registerAuditRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  app.get(
    '/v1/audit',
    {
      schema: {
        summary: 'Export audit records (JSON, or JSON Lines with format=jsonl)',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            fromSeq: { type: 'integer', minimum: 1, default: 1 },
            limit: { type: 'integer', minimum: 1, maximum: 10000, default: 1000 },
            format: { enum: ['json', 'jsonl'], default: 'json' },
          },
        },
      },
    },
    async (req, reply) => {
      requireGlobalRead(req);
      const q = req.query as { fromSeq: number; limit: number; format: 'json' | 'jsonl' };
      const records = await deps.store.readAudit({ fromSeq: q.fromSeq, limit: q.limit });
      const next = records.length === q.limit ? records[records.length - 1]!.seq + 1 : undefined;
      if (q.format === 'jsonl') {
        if (next !== undefined) reply.header('x-next-from-seq', String(next));
        return reply.type('application/x-ndjson').send(records.map((r) => JSON.stringify(r)).join('\n') + (records.length ? '\n' : ''));
      }
      return { records, ...(next !== undefined ? { nextFromSeq: next } : {}) };
    },
  );

  app.get('/v1/audit/verify', { schema: { summary: 'Verify the audit hash chain against the last published checkpoint' } }, async (req) => {
    requireGlobalRead(req);
    return deps.audit.verify();
  });
}
