import type { FastifyInstance } from 'fastify';
import type { Approval } from '../../controls/approvals/approval.js';
import { HttpError } from '../http-errors.js';
import { requireRole, scopedTenant, type ServiceDeps } from '../app.js';
import type { Principal } from '../auth/api-keys.js';

const MAX_WAIT_S = 60;

/** The identity that votes: the authenticated key (or console user), never a name from the request. */
export function voterId(p: Principal): string {
  return p.keyId;
}

function visible(a: Approval | undefined, p: Principal): Approval | undefined {
  // Another tenant's request is reported as absent.
  return a && (p.tenant === null || a.tenant === p.tenant) ? a : undefined;
}

export function registerApprovalRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  const idParams = { type: 'object', properties: { id: { type: 'string', maxLength: 64 } } } as const;

  app.get(
    '/v1/approvals',
    {
      schema: {
        summary: 'List approval requests, newest first',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            status: { enum: ['pending', 'approved', 'denied', 'expired'] },
            tenant: { type: 'string' },
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
            cursor: { type: 'string' },
          },
        },
      },
    },
    async (req) => {
      const p = req.principal!;
      if (!p.roles.some((r) => r === 'approve' || r === 'read' || r === 'admin')) requireRole(req, 'approve');
      const q = req.query as { status?: Approval['status']; tenant?: string; limit: number; cursor?: string };
      const tenant = scopedTenant(p, q.tenant);
      return deps.store.listApprovals({ limit: q.limit, ...(q.status ? { status: q.status } : {}), ...(q.cursor ? { cursor: q.cursor } : {}), ...(tenant !== undefined ? { tenant } : {}) }, new Date());
    },
  );

  app.get(
    '/v1/approvals/:id',
    {
      schema: {
        summary: 'One approval request; with wait=N, long-poll up to N seconds for a decision',
        params: idParams,
        querystring: { type: 'object', additionalProperties: false, properties: { wait: { type: 'integer', minimum: 0, maximum: MAX_WAIT_S, default: 0 } } },
      },
    },
    async (req) => {
      const p = req.principal!;
      const { id } = req.params as { id: string };
      const { wait } = req.query as { wait: number };
      const until = Date.now() + wait * 1000;
      for (;;) {
        const a = visible(await deps.store.getApproval(id, new Date()), p);
        if (!a) throw new HttpError(404, 'ESQ_NOT_FOUND', `no approval ${id}`);
        // The requester may watch their own request; everyone else needs a reading role.
        if (a.requester !== voterId(p) && !p.roles.some((r) => r === 'approve' || r === 'read' || r === 'admin')) requireRole(req, 'approve');
        if (a.status !== 'pending' || Date.now() >= until) return a;
        await new Promise((r) => setTimeout(r, 250));
      }
    },
  );

  for (const decision of ['approve', 'deny'] as const) {
    app.post(
      `/v1/approvals/:id/${decision}`,
      {
        schema: {
          summary: decision === 'approve' ? 'Approve a request' : 'Deny a request',
          params: idParams,
          body: { type: 'object', required: ['reason'], additionalProperties: false, properties: { reason: { type: 'string', minLength: 1, maxLength: 2000 } } },
        },
      },
      async (req) => {
        const p = requireRole(req, 'approve');
        const { id } = req.params as { id: string };
        const { reason } = req.body as { reason: string };
        const now = new Date();
        if (!visible(await deps.store.getApproval(id, now), p)) throw new HttpError(404, 'ESQ_NOT_FOUND', `no approval ${id}`);
        const r = await deps.store.voteApproval(id, { approver: voterId(p), decision, reason, at: now.toISOString() }, now);
        if (!r.ok) {
          const status = r.reason === 'not-found' ? 404 : 409;
          throw new HttpError(status, `ESQ_APPROVAL_${r.reason.toUpperCase().replace(/-/g, '_')}`, r.message);
        }
        // Every vote is in the audit log.
        await deps.audit.append({
          kind: 'approval.vote',
          principal: voterId(p),
          action: r.approval.summary.action,
          effect: decision,
          ...(r.approval.tenant ? { tenant: r.approval.tenant } : {}),
          data: { approvalId: id, decision, status: r.approval.status, votes: r.approval.votes.length, required: r.approval.required },
        });
        if (r.approval.status !== 'pending') deps.notify?.('approval.decided', { id, status: r.approval.status, tenant: r.approval.tenant, action: r.approval.summary.action });
        return r.approval;
      },
    );
  }
}
