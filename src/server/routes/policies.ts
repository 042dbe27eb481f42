import type { FastifyInstance } from 'fastify';
import { requireRole, type ServiceDeps } from '../app.js';

export function registerPolicyRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  app.get('/v1/policies', { schema: { summary: 'Loaded pack, rulebooks with version hashes, last reload status' } }, async (req) => {
    requireRole(req, 'read');
    const p = deps.policy.current;
    return {
      pack: { name: p.name, version: p.version, description: p.description, defaultEffect: p.defaultEffect, rules: p.rules.length },
      rulebooks: p.rulebooks,
      rules: p.rules.map((r) => ({ id: r.id, rulebook: r.rulebook, tier: r.tier, effect: r.effect, severity: r.severity, mode: r.mode, onError: r.onError, description: r.description })),
      reload: deps.policy.status,
    };
  });

  // The policy bundle for remote hooks that evaluate stateless rules locally (ETag = pack version).
  app.get('/v1/bundle', { schema: { summary: 'The current policy pack as source files, for local evaluation by SDKs' } }, async (req, reply) => {
    requireRole(req, 'decide');
    const p = deps.policy.current;
    const etag = `"${p.version}"`;
    reply.header('etag', etag);
    if (req.headers['if-none-match'] === etag) return reply.status(304).send();
    return { name: p.name, version: p.version, manifest: p.sources.manifest, rulebooks: p.sources.rulebooks };
  });
}
