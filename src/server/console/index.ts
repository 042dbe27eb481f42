/**
 * The web console under /console: the built front end (dist/web), sign-in with a console user or an
 * API key, cookie sessions with CSRF protection, and the console's JSON API under /console/api.
 *
 * The API re-registers the very same /v1 route handlers (approvals, incidents, audit, policies, and
 * any `extraRoutes`) under /console/api, with the signed-in user as the principal: authorization,
 * tenant scoping and the self-approval rule are the API's own, not a copy. A console user votes as
 * `user:<name>`.
 *
 * The service's bearer-key hook must let /console paths through (see `isConsolePath`): this plugin
 * authenticates them itself.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hashApiKey } from '../auth/api-keys.js';
import { requireRole, type ServiceDeps } from '../app.js';
import { HttpError } from '../http-errors.js';
import { registerApprovalRoutes } from '../routes/approvals.js';
import { registerAuditRoutes } from '../routes/audit.js';
import { registerIncidentRoutes } from '../routes/incidents.js';
import { registerPolicyRoutes } from '../routes/policies.js';
import { readCookie, serializeCookie } from './cookies.js';
import { FailureLimiter } from './failure-limiter.js';
import { overviewSource } from './overview.js';
import { dummyHash, verifyPassword } from './passwords.js';
import {
  CSRF_HEADER, SESSION_COOKIE, SIGNIN_CSRF_COOKIE, csrfTokenFor, identityOf, newToken, sameToken, sessionHash, startSession, type ConsoleIdentity,
} from './sessions.js';
import { defaultWebRoot, isBuilt, readStatic } from './static.js';

export const CONSOLE_PREFIX = '/console';

/** True for the paths this plugin authenticates itself (the bearer-key hook must skip them). */
export function isConsolePath(path: string): boolean {
  return path === CONSOLE_PREFIX || path.startsWith(`${CONSOLE_PREFIX}/`);
}

/** host[:port] without a default port, lowercased: how Origin and Host are compared. */
function normalHost(h: string): string {
  return h.toLowerCase().replace(/:(80|443)$/, '');
}

/** The host of an Origin header; undefined for `null` and anything unparsable. */
function originHost(origin: string): string | undefined {
  try {
    const host = new URL(origin).host;
    return host ? normalHost(host) : undefined;
  } catch {
    return undefined;
  }
}

export type RouteGroup = (app: FastifyInstance, deps: ServiceDeps) => void;

export interface ConsoleOptions {
  /** The built front end (default `<package>/dist/web`). */
  webRoot?: string;
  /**
   * Mark cookies Secure even when the request arrived over plain HTTP (TLS ends in a proxy in front).
   * Default: Secure exactly when the request arrived over TLS.
   */
  secureCookies?: boolean;
  /** Absolute session lifetime (default 8 h: one working day). */
  sessionTtlMs?: number;
  /** More /v1 route groups to offer signed-in users under /console/api (e.g. the budgets routes). */
  extraRoutes?: RouteGroup[];
  /** Failed sign-ins allowed per address per 5 minutes (default 10). */
  maxSignInFailures?: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    consoleIdentity?: ConsoleIdentity;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

// style-src allows inline style attributes only through the CSSOM (what Preact and uPlot use), not markup.
const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};

const signInBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    username: { type: 'string', minLength: 1, maxLength: 64 },
    password: { type: 'string', minLength: 1, maxLength: 1024 },
    apiKey: { type: 'string', minLength: 1, maxLength: 512 },
  },
  oneOf: [{ required: ['username', 'password'] }, { required: ['apiKey'] }],
} as const;

export async function registerConsole(app: FastifyInstance, deps: ServiceDeps, opts: ConsoleOptions = {}): Promise<void> {
  const webRoot = opts.webRoot ?? defaultWebRoot();
  const ttlMs = opts.sessionTtlMs ?? 8 * 3600_000;
  const limiter = new FailureLimiter(opts.maxSignInFailures ?? 10);
  const overview = overviewSource(deps);
  const now = () => deps.now?.() ?? new Date();
  const secure = (req: FastifyRequest) => opts.secureCookies === true || req.protocol === 'https';
  const cookie = (req: FastifyRequest, name: string, value: string, maxAgeSeconds: number, path = CONSOLE_PREFIX) =>
    serializeCookie(name, value, { path, maxAgeSeconds, secure: secure(req) });
  const sessionOf = async (req: FastifyRequest) => identityOf(deps.store, readCookie(req.headers.cookie, SESSION_COOKIE), now());

  /**
   * A request from another site is refused outright (defence in depth behind SameSite and the CSRF
   * tokens). Hosts are compared, not schemes: behind a TLS proxy the browser says https, ESQ sees http.
   */
  const checkOrigin = (req: FastifyRequest) => {
    const origin = req.headers.origin;
    if (origin !== undefined && originHost(origin) !== normalHost(req.headers.host ?? '')) throw new HttpError(403, 'ESQ_CSRF', 'cross-site request refused');
    if (req.headers['sec-fetch-site'] === 'cross-site') throw new HttpError(403, 'ESQ_CSRF', 'cross-site request refused');
  };

  const userView = (id: ConsoleIdentity) => ({
    name: id.display,
    kind: id.kind,
    id: id.principal.keyId,
    roles: id.principal.roles,
    tenant: id.principal.tenant,
    expiresAt: id.expiresAt,
  });

  await app.register(async (scope) => {
    scope.addHook('onSend', async (req, reply, payload) => {
      for (const [k, v] of Object.entries(SECURITY_HEADERS)) reply.header(k, v);
      if (req.url.startsWith(`${CONSOLE_PREFIX}/api/`)) reply.header('cache-control', 'no-store');
      return payload;
    });

    // ── pages and assets ──────────────────────────────────────────────────
    scope.get(CONSOLE_PREFIX, { schema: { hide: true } }, async (_req, reply) => reply.redirect(`${CONSOLE_PREFIX}/`, 302));

    scope.get(`${CONSOLE_PREFIX}/*`, { schema: { hide: true } }, async (req, reply) => {
      const rel = (req.params as { '*': string })['*'];
      const last = rel.split('/').pop() ?? '';
      if (last.includes('.')) {
        // A file (assets, icons): public, they hold no data.
        const f = await readStatic(webRoot, rel);
        if (!f) throw new HttpError(404, 'ESQ_NOT_FOUND', `no console file ${rel}`);
        return reply.header('cache-control', f.cacheControl).type(f.type).send(f.body);
      }
      // A page: the single-page app's index.html, for signed-in users only (the sign-in page aside).
      if (rel !== 'signin' && !(await sessionOf(req))) {
        const next = `${CONSOLE_PREFIX}/${rel}`;
        return reply.redirect(`${CONSOLE_PREFIX}/signin?next=${encodeURIComponent(next)}`, 302);
      }
      if (!isBuilt(webRoot)) {
        return reply
          .status(503)
          .type('text/plain; charset=utf-8')
          .send(`The ESQ console has not been built: run "npx vite build --config web/vite.config.ts" (or npm run build) and reload.\nLooked in ${webRoot}\n`);
      }
      const f = (await readStatic(webRoot, 'index.html'))!;
      return reply.header('cache-control', 'no-store').type(f.type).send(f.body);
    });

    // ── sign-in (no session yet) ──────────────────────────────────────────
    scope.get(`${CONSOLE_PREFIX}/api/csrf`, { schema: { hide: true } }, async (req, reply) => {
      const token = newToken();
      reply.header('set-cookie', cookie(req, SIGNIN_CSRF_COOKIE, token, 600, `${CONSOLE_PREFIX}/api`));
      return { csrfToken: token };
    });

    scope.post(`${CONSOLE_PREFIX}/api/signin`, { schema: { hide: true, body: signInBody } }, async (req, reply) => {
      checkOrigin(req);
      // Double-submit: the header must echo the cookie set by /console/api/csrf, which another site can neither read nor set.
      if (!sameToken(req.headers[CSRF_HEADER] as string | undefined, readCookie(req.headers.cookie, SIGNIN_CSRF_COOKIE))) {
        throw new HttpError(403, 'ESQ_CSRF', 'missing or wrong CSRF token: reload the sign-in page');
      }
      const wait = limiter.blocked(req.ip);
      if (wait !== undefined) throw new HttpError(429, 'ESQ_RATE_LIMITED', 'too many failed sign-ins from this address; retry later', undefined, { 'retry-after': String(wait) });
      const body = req.body as { username?: string; password?: string; apiKey?: string };
      let subject: string | undefined;
      let failure = 'unknown user or wrong password';
      if (body.apiKey !== undefined) {
        const r = await deps.auth.authenticate(`Bearer ${body.apiKey}`, req.ip);
        if (r.ok) subject = `key:${hashApiKey(body.apiKey)}`;
        else if (r.reason === 'throttled') throw new HttpError(429, 'ESQ_RATE_LIMITED', 'too many failed attempts from this address; retry later', undefined, { 'retry-after': String(r.retryAfterSeconds ?? 60) });
        else failure = 'unknown or revoked API key';
      } else {
        const u = await deps.store.getConsoleUser(body.username!);
        // Unknown names cost a full hash too, so response time does not tell which names exist.
        const ok = await verifyPassword(body.password!, u?.passwordHash ?? (await dummyHash()));
        if (u && ok) subject = `user:${u.name}`;
      }
      const method = body.apiKey !== undefined ? 'apiKey' : 'password';
      if (!subject) {
        limiter.fail(req.ip);
        deps.metrics.authFailures.inc({ reason: 'console' });
        void deps.audit
          .append({ kind: 'console.signin', data: { ok: false, method, address: req.ip, ...(body.username ? { user: body.username } : {}) } })
          .catch(() => deps.metrics.storeErrors.inc({ operation: 'audit' }));
        throw new HttpError(401, 'ESQ_UNAUTHENTICATED', failure);
      }
      const at = now();
      // A fresh session id on every sign-in (no fixation); the one this browser had before ends.
      const previous = readCookie(req.headers.cookie, SESSION_COOKIE);
      if (previous) await deps.store.deleteConsoleSession(sessionHash(previous));
      void deps.store.deleteExpiredConsoleSessions(at).catch(() => deps.metrics.storeErrors.inc({ operation: 'console-sessions' }));
      const s = await startSession(deps.store, subject, at, ttlMs);
      const id = (await identityOf(deps.store, s.id, at))!;
      await deps.audit.append({ kind: 'console.signin', principal: id.principal.keyId, ...(id.principal.tenant ? { tenant: id.principal.tenant } : {}), data: { ok: true, method, address: req.ip } });
      reply.header('set-cookie', [cookie(req, SESSION_COOKIE, s.id, ttlMs / 1000), cookie(req, SIGNIN_CSRF_COOKIE, '', 0, `${CONSOLE_PREFIX}/api`)]);
      return { user: userView(id), csrfToken: csrfTokenFor(s.id) };
    });

    // ── everything else under /console/api needs a session ───────────────
    await scope.register(async (api) => {
      // The re-registered /v1 handlers stay out of the OpenAPI document: the public API is /v1.
      api.addHook('onRoute', (route) => {
        route.schema = { ...(route.schema ?? {}), hide: true };
      });
      api.addHook('onRequest', async (req: FastifyRequest) => {
        const id = await sessionOf(req);
        if (!id) throw new HttpError(401, 'ESQ_UNAUTHENTICATED', 'not signed in to the console (or the session has ended)');
        if (!SAFE_METHODS.has(req.method)) {
          checkOrigin(req);
          if (!sameToken(req.headers[CSRF_HEADER] as string | undefined, csrfTokenFor(id.sessionId))) {
            throw new HttpError(403, 'ESQ_CSRF', 'missing or wrong CSRF token: reload the console');
          }
        }
        req.principal = id.principal;
        req.consoleIdentity = id;
      });

      api.get(`${CONSOLE_PREFIX}/api/session`, async (req) => {
        const id = req.consoleIdentity!;
        return { user: userView(id), csrfToken: csrfTokenFor(id.sessionId) };
      });

      api.post(`${CONSOLE_PREFIX}/api/signout`, async (req, reply: FastifyReply) => {
        await deps.store.deleteConsoleSession(sessionHash(req.consoleIdentity!.sessionId));
        reply.header('set-cookie', cookie(req, SESSION_COOKIE, '', 0));
        return reply.status(204).send();
      });

      api.get(
        `${CONSOLE_PREFIX}/api/overview`,
        { schema: { querystring: { type: 'object', additionalProperties: false, properties: { minutes: { type: 'integer', minimum: 5, maximum: 1440, default: 60 } } } } },
        async (req) => overview(requireRole(req, 'read'), (req.query as { minutes: number }).minutes),
      );

      await api.register(
        async (v1) => {
          for (const group of [registerApprovalRoutes, registerIncidentRoutes, registerAuditRoutes, registerPolicyRoutes, ...(opts.extraRoutes ?? [])]) group(v1, deps);
        },
        { prefix: `${CONSOLE_PREFIX}/api` },
      );

      api.all(`${CONSOLE_PREFIX}/api/*`, async (req) => {
        throw new HttpError(404, 'ESQ_NOT_FOUND', `no console route ${req.method} ${req.url.split('?')[0]}`);
      });
    });
  });
}
