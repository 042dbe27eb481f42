/**
 * The decision service's HTTP layer (Fastify). Thin: authentication, tenant scoping, schemas and
 * error mapping live here; deciding, scanning and storing are the capabilities behind `deps`.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import fastifySwagger from '@fastify/swagger';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { Governor } from '../engine/governor.js';
import type { ScrubKeys } from '../guardrails/scrub/index.js';
import type { Controls } from './controls.js';
import { registerBudgetRoutes } from './routes/budgets.js';
import { isConsolePath, registerConsole } from './console/index.js';
import type { LivePolicy } from '../policy/live-policy.js';
import type { Store } from '../store/port.js';
import type { Logger } from '../util/log.js';
import type { AuditLog } from './audit-log.js';
import { hasRole, type Principal, type Role } from './auth/api-keys.js';
import type { Authenticator } from './auth/authenticator.js';
import { HttpError, toHttp } from './http-errors.js';
import type { Metrics } from './metrics.js';
import { registerDecisionRoutes } from './routes/decide.js';
import { registerGuardrailRoutes } from './routes/guardrails.js';
import { registerIncidentRoutes } from './routes/incidents.js';
import { registerAuditRoutes } from './routes/audit.js';
import { registerPolicyRoutes } from './routes/policies.js';
import { registerOpsRoutes } from './routes/ops.js';
import { registerApprovalRoutes } from './routes/approvals.js';

export interface ServiceDeps {
  governor: Governor;
  policy: LivePolicy;
  store: Store;
  audit: AuditLog;
  auth: Authenticator;
  metrics: Metrics;
  log: Logger;
  /** For /readyz: false while shutting down. */
  accepting: () => boolean;
  /** Keys for the hash and encrypt scrub operators (loaded on first use). */
  scrubKeys?: () => ScrubKeys;
  /** Sends an event to the webhook sink, when one is configured. Never blocks. */
  notify?: (type: string, data: Record<string, unknown>, id?: string) => void;
  /** Clock for approvals and expiry (tests inject one). */
  now?: () => Date;
  /** Budgets and rate limits (when the pack configures them). */
  controls?: Controls;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv) => void;

/** Routes that answer without credentials. */
const PUBLIC = new Set(['/healthz', '/readyz', '/openapi.json']);

/** Demands a role; returns the principal. */
export function requireRole(req: FastifyRequest, role: Role): Principal {
  const p = req.principal;
  if (!p) throw new HttpError(401, 'ESQ_UNAUTHENTICATED', 'missing credentials');
  if (!hasRole(p, role)) throw new HttpError(403, 'ESQ_FORBIDDEN', `this key lacks the "${role}" role`);
  return p;
}

/** The tenant a request may act on: a scoped key's own tenant; a mismatch is refused. */
export function scopedTenant(p: Principal, asked: string | undefined): string | undefined {
  if (p.tenant === null) return asked;
  if (asked !== undefined && asked !== p.tenant) throw new HttpError(403, 'ESQ_FORBIDDEN', `this key is scoped to tenant "${p.tenant}" and cannot act for "${asked}"`);
  return p.tenant;
}

/** The Fastify instance the service runs on, before its routes (the service bench's framework floor uses it too). */
export function baseApp(): FastifyInstance {
  const app = Fastify({
    logger: false,
    bodyLimit: 2 * 1024 * 1024,
    trustProxy: false,
  });
  // Bodies are validated strictly (no type coercion: "phi" is not a list); query strings and
  // path parameters arrive as text and are coerced to their declared types.
  const strict = new Ajv({ allErrors: false, removeAdditional: false, coerceTypes: false, useDefaults: true, strict: false });
  const lenient = new Ajv({ allErrors: false, removeAdditional: false, coerceTypes: 'array', useDefaults: true, strict: false });
  for (const a of [strict, lenient]) addFormats(a);
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? strict : lenient).compile(schema));
  return app;
}

export async function buildApp(deps: ServiceDeps): Promise<FastifyInstance> {
  const app = baseApp();

  // Every body this API reads is JSON: other media types get 415, not a confusing schema error.
  app.removeContentTypeParser('text/plain');

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'ESQ decision service', version: '1', description: 'Runtime governance for AI agents and services that handle regulated data.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An ESQ API key (esq keys create)' } } },
      security: [{ bearer: [] }],
    },
  });

  app.addHook('onRequest', async (req, reply) => {
    (req as FastifyRequest & { startedAt: bigint }).startedAt = process.hrtime.bigint();
    const path = req.routeOptions.url ?? req.url.split('?')[0]!;
    if (PUBLIC.has(path) || isConsolePath(path)) return; // the console authenticates itself
    const r = await deps.auth.authenticate(req.headers.authorization, req.ip);
    if (r.ok) {
      req.principal = r.principal;
      return;
    }
    deps.metrics.authFailures.inc({ reason: r.reason });
    if (r.reason !== 'missing') {
      // Failed credentials are audited (never the key itself).
      void deps.audit.append({ kind: 'auth', data: { reason: r.reason, address: req.ip, route: path } }).catch(() => deps.metrics.storeErrors.inc({ operation: 'audit' }));
    }
    if (r.reason === 'throttled') {
      reply.header('retry-after', String(r.retryAfterSeconds ?? 60));
      throw new HttpError(429, 'ESQ_RATE_LIMITED', 'too many failed authentication attempts from this address; retry later');
    }
    reply.header('www-authenticate', 'Bearer realm="esq"');
    throw new HttpError(401, 'ESQ_UNAUTHENTICATED', r.reason === 'missing' ? 'missing credentials: send Authorization: Bearer <api key>' : 'invalid API key');
  });

  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    deps.metrics.httpRequests.inc({ route, method: req.method, status: String(reply.statusCode) });
    const started = (req as FastifyRequest & { startedAt?: bigint }).startedAt;
    if (started) deps.metrics.httpLatency.observe({ route }, Number(process.hrtime.bigint() - started) / 1e9);
  });

  app.setErrorHandler((err, req, reply: FastifyReply) => {
    const h = toHttp(err);
    if (h.status >= 500) deps.log.error({ err, route: req.routeOptions.url }, 'request failed');
    for (const [k, v] of Object.entries(h.headers)) reply.header(k, v);
    void reply.status(h.status).send({ error: { code: h.code, message: h.message, ...(h.details !== undefined ? { details: h.details } : {}) } });
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send({ error: { code: 'ESQ_NOT_FOUND', message: `no route ${req.method} ${req.url.split('?')[0]}` } });
  });

  registerDecisionRoutes(app, deps);
  registerGuardrailRoutes(app, deps);
  registerIncidentRoutes(app, deps);
  registerAuditRoutes(app, deps);
  registerPolicyRoutes(app, deps);
  registerOpsRoutes(app, deps);
  registerApprovalRoutes(app, deps);
  registerBudgetRoutes(app, deps);
  await registerConsole(app, deps, { extraRoutes: [registerBudgetRoutes] });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.ready();
  return app;
}
