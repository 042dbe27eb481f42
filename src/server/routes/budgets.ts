import type { FastifyInstance } from 'fastify';
import { HttpError } from '../http-errors.js';
import { requireRole, scopedTenant, type ServiceDeps } from '../app.js';

export function registerBudgetRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  const controlsOr404 = () => {
    const c = deps.controls?.for(deps.policy.current);
    if (!c?.hasBudgets) throw new HttpError(404, 'ESQ_NOT_FOUND', 'the loaded pack configures no budgets (settings.cost)');
    return c;
  };

  app.get(
    '/v1/budgets',
    { schema: { summary: 'Budget utilisation per tenant and period', querystring: { type: 'object', additionalProperties: false, properties: { tenant: { type: 'string' } } } } },
    async (req) => {
      const caller = requireRole(req, 'read');
      const c = controlsOr404();
      const asked = (req.query as { tenant?: string }).tenant;
      const tenant = scopedTenant(caller, asked) ?? 'default';
      const u = await c.cost.utilisation(tenant);
      const store = deps.controls!.budgetStore;
      const alerted = await Promise.all(u.lines.map(async (l) => (await store.listAlerts(l.budgetKey, l.period)).map((a) => a.thresholdPercent / 100)));
      return {
        items: u.lines.map((l, i) => ({
          tenant,
          budget: l.budget,
          budgetKey: l.budgetKey,
          period: l.period.startsWith('month') || /^\d{4}-\d{2}$/.test(l.period) ? 'month' : 'day',
          periodKey: l.period.replace(/^(day|month):/, ''),
          limitMicros: Number(l.limitMicros),
          spentMicros: Number(l.spentMicros),
          reservedMicros: Number(l.reservedMicros),
          utilisation: l.utilisation,
          thresholds: [0.5, 0.8, 0.95, 1],
          alerted: alerted[i] ?? [],
        })),
        utilisation: u.utilisation,
        throttleFactor: u.throttleFactor,
      };
    },
  );

  const idParams = { type: 'object', properties: { id: { type: 'string', maxLength: 128 } } } as const;
  app.post(
    '/v1/reservations/:id/settle',
    {
      schema: {
        summary: 'Settle a reservation with the actual cost (micro-dollars or provider usage)',
        params: idParams,
        body: {
          type: 'object',
          additionalProperties: false,
          properties: {
            actualMicros: { type: 'integer', minimum: 0 },
            usage: { type: 'object', additionalProperties: false, required: ['model'], properties: { model: { type: 'string' }, inputTokens: { type: 'integer', minimum: 0 }, outputTokens: { type: 'integer', minimum: 0 }, cachedInputTokens: { type: 'integer', minimum: 0 } } },
          },
        },
      },
    },
    async (req) => {
      requireRole(req, 'decide');
      const c = controlsOr404();
      const { id } = req.params as { id: string };
      const body = req.body as { actualMicros?: number; usage?: { model: string; inputTokens?: number; outputTokens?: number; cachedInputTokens?: number } };
      let micros: number;
      if (body.actualMicros !== undefined) micros = body.actualMicros;
      else if (body.usage) {
        const { actualCost } = await import('../../controls/cost/estimate.js');
        micros = Number(actualCost(body.usage.model, body.usage as never, c.cost.prices, new Date()));
      } else throw new HttpError(400, 'ESQ_BAD_REQUEST', 'give actualMicros or usage');
      return c.cost.settle(id, micros);
    },
  );

  app.post('/v1/reservations/:id/release', { schema: { summary: 'Release an unused reservation', params: idParams } }, async (req) => {
    requireRole(req, 'decide');
    const c = controlsOr404();
    return { released: await c.cost.release((req.params as { id: string }).id) };
  });
}
