import type { FastifyInstance } from 'fastify';
import { InvalidInputError } from '../../errors.js';
import { guardrailsFor } from '../../guardrails/pipeline.js';
import { parseOperatorMap, parseOperatorSpec, scrub } from '../../guardrails/scrub/index.js';
import { requireRole, scopedTenant, type ServiceDeps } from '../app.js';

const textBody = {
  type: 'object',
  required: ['text'],
  additionalProperties: false,
  properties: {
    text: { type: 'string', maxLength: 1_000_000 },
    entities: { type: 'array', items: { type: 'string' }, maxItems: 100 },
    minScore: { type: 'number', minimum: 0, maximum: 1 },
  },
} as const;

export function registerGuardrailRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  const analyzeOpts = (body: { entities?: string[]; minScore?: number }) => {
    const g = guardrailsFor(deps.policy.current);
    const unknown = (body.entities ?? []).filter((e) => !g.analyzer.entities.includes(e));
    if (unknown.length > 0) throw new InvalidInputError(`unknown entity types: ${unknown.join(', ')}`);
    return { g, opts: { ...g.analyzeOpts, ...(body.entities ? { entities: body.entities } : {}), ...(body.minScore !== undefined ? { minScore: body.minScore } : {}) } };
  };

  app.post('/v1/detect', { schema: { summary: 'Find PII, PHI and secrets in text', body: textBody } }, async (req) => {
    requireRole(req, 'decide');
    const body = req.body as { text: string; entities?: string[]; minScore?: number };
    const { g, opts } = analyzeOpts(body);
    return { findings: g.analyzer.analyze(body.text, opts) };
  });

  app.post(
    '/v1/scrub',
    {
      schema: {
        summary: 'Replace PII, PHI and secrets in text',
        body: {
          ...textBody,
          properties: {
            ...textBody.properties,
            operators: { type: 'object', additionalProperties: { type: 'string' } },
            defaultOperator: { type: 'string' },
            tenant: { type: 'string' },
          },
        },
      },
    },
    async (req) => {
      const caller = requireRole(req, 'decide');
      const body = req.body as { text: string; entities?: string[]; minScore?: number; operators?: Record<string, string>; defaultOperator?: string; tenant?: string };
      const tenant = scopedTenant(caller, body.tenant) ?? 'default';
      const { g, opts } = analyzeOpts(body);
      const operators = body.operators ? { ...g.operators, ...parseOperatorMap(body.operators) } : g.operators;
      const defaultOperator = body.defaultOperator ? parseOperatorSpec(body.defaultOperator) : g.defaultOperator;
      const findings = g.analyzer.analyze(body.text, opts);
      const needsKeys = findings.some((f) => ['hash', 'encrypt'].includes((operators[f.entity] ?? defaultOperator).name));
      if (needsKeys && !deps.scrubKeys) throw new InvalidInputError('hash and encrypt need the service scrub keys, which are not configured');
      const r = scrub(body.text, findings, { operators, defaultOperator, tenant, ...(needsKeys ? { keys: deps.scrubKeys!() } : {}) });
      return { text: r.text, items: r.items, ...(r.tokenMap ? { tokenMap: r.tokenMap.toJSON() } : {}) };
    },
  );
}
