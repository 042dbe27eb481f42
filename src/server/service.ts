/**
 * `esq serve`: wires the store, the live policy, guardrails, the audit log and the HTTP app, and
 * shuts down gracefully (stop accepting, finish in-flight requests, flush the audit log).
 */
import { hostname } from 'node:os';
import type { FastifyInstance } from 'fastify';
import { hmacArgHasher } from '../audit/arg-hasher.js';
import { newIncidentId } from '../audit/incident-id.js';
import { Governor } from '../engine/governor.js';
import type { DeploymentEnv } from '../engine/types.js';
import { packGuardrails } from '../guardrails/pipeline.js';
import { loadScrubKeys, type ScrubKeys } from '../guardrails/scrub/index.js';
import { LivePolicy } from '../policy/live-policy.js';
import { COMPANION_PACKS } from '../policy/pack-files.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/port.js';
import { loadOrCreateKey } from '../util/keys.js';
import { logger, type Logger } from '../util/log.js';
import { buildApp } from './app.js';
import { openServiceAuditLog, type AuditLog, type ServiceAuditOptions } from './audit-log.js';
import { generateApiKey, hashApiKey } from './auth/api-keys.js';
import { Authenticator } from './auth/authenticator.js';
import { createMetrics } from './metrics.js';
import { WebhookSink } from './webhooks.js';
import { AlertEvaluator } from './alerts.js';
import { openControls } from './controls.js';
import { join } from 'node:path';

export interface ServiceOptions extends Pick<ServiceAuditOptions, 'checkpointFile' | 'auditKeyFile' | 'checkpointEvery'> {
  home: string;
  env: DeploymentEnv;
  pack: string;
  databaseUrl?: string;
  /** PostgreSQL schema (tests use one per run). */
  schema?: string;
  /** ESQ_ADMIN_KEY: make sure this key exists as an admin key (automation). */
  adminKey?: string;
  watch?: boolean;
  /** ESQ_REDIS_URL: shared rate-limit counters. */
  redisUrl?: string;
  /** ESQ_WEBHOOK_URL and ESQ_WEBHOOK_SECRET. */
  webhook?: { url: string; secret: string; baseDelayMs?: number; maxAttempts?: number };
  log?: Logger;
}

export interface Service {
  app: FastifyInstance;
  store: Store;
  policy: LivePolicy;
  audit: AuditLog;
  /** Set when this start created the first admin key: show it once, it is not stored. */
  bootstrapKey?: string;
  close(): Promise<void>;
}

/** On the first start of an empty store, an admin key is made and returned once; ESQ_ADMIN_KEY is registered as given. */
async function bootstrapKeys(store: Store, adminKey: string | undefined): Promise<string | undefined> {
  if (adminKey) {
    const hash = hashApiKey(adminKey);
    if (!(await store.findApiKeyByHash(hash))) {
      await store.putApiKey({ id: `admin-${hash.slice(0, 8)}`, hash, roles: ['admin'], tenant: null, label: 'ESQ_ADMIN_KEY', createdAt: new Date() }).catch(async (e) => {
        // Another replica registered it at the same moment.
        if (!(await store.findApiKeyByHash(hash))) throw e;
      });
    }
    return undefined;
  }
  if ((await store.listApiKeys()).length > 0) return undefined;
  const k = generateApiKey();
  await store.putApiKey({ id: k.id, hash: k.hash, roles: ['admin'], tenant: null, label: 'bootstrap admin', createdAt: new Date() });
  return k.key;
}

export async function startService(o: ServiceOptions): Promise<Service> {
  const log = o.log ?? logger();
  let storeRef: Store | undefined;
  // The approval backlog is read from the shared store at scrape time (correct across replicas).
  const metrics = createMetrics({ pendingApprovals: async () => (storeRef ? storeRef.countPendingApprovals(new Date()) : 0) });
  // The audit fsync runs on a worker thread, so deciding never waits behind a commit.
  // Records per commit come from the store: the SQLite writer thread merges the batches handed to it.
  const store = await openStore({ home: o.home, auditWriter: 'worker', onAuditCommit: (n) => metrics.auditBatch.observe(n), ...(o.databaseUrl ? { databaseUrl: o.databaseUrl } : {}), ...(o.schema ? { schema: o.schema } : {}) });
  storeRef = store;
  const bootstrapKey = await bootstrapKeys(store, o.adminKey);

  const policy = LivePolicy.open(o.pack, { log, companions: COMPANION_PACKS });
  if (o.watch !== false) policy.watch();

  const audit = openServiceAuditLog(store, {
    home: o.home,
    ...(o.checkpointFile ? { checkpointFile: o.checkpointFile } : {}),
    ...(o.auditKeyFile ? { auditKeyFile: o.auditKeyFile } : {}),
    ...(o.checkpointEvery ? { checkpointEvery: o.checkpointEvery } : {}),
    log,
  });
  policy.on('reload', (r: { ok: boolean; version?: string; changed?: boolean; error?: Error }) => {
    metrics.policyReloads.inc({ result: r.ok ? 'ok' : 'rejected' });
    if (r.ok && !r.changed) return;
    void audit
      .append({ kind: 'policy.reload', data: r.ok ? { ok: true, version: r.version } : { ok: false, error: r.error?.message ?? 'unknown' } })
      .catch(() => metrics.storeErrors.inc({ operation: 'audit' }));
  });

  let scrubKeys: ScrubKeys | undefined;
  const keys = () => (scrubKeys ??= loadScrubKeys({ home: o.home }));
  const guardrails = packGuardrails(keys);
  const governor = new Governor({
    policy,
    env: o.env,
    // The service files incidents itself (durably, before answering); this sink is never used.
    incidents: { record: () => undefined },
    hasher: hmacArgHasher(loadOrCreateKey(o.home, 'incident-hmac')),
    newIncidentId,
    scanner: guardrails,
    scrubber: guardrails,
    origin: { host: hostname(), pid: process.pid },
  });

  // Webhooks (ESQ_WEBHOOK_URL + ESQ_WEBHOOK_SECRET): incidents, approvals, alerts.
  let webhooks: WebhookSink | undefined;
  if (o.webhook) {
    webhooks = new WebhookSink({
      ...o.webhook,
      deadLetterFile: join(o.home, 'webhooks', 'dead-letter.jsonl'),
      log,
      onResult: (_e, result) => metrics.webhookDeliveries.inc({ result }),
    });
  }
  const notify = webhooks ? (type: string, data: Record<string, unknown>, id?: string) => webhooks!.send(type, data, id) : undefined;


  // Approvals about to expire (within the hour) are announced once per process; the idempotency
  // key is the same on every replica, so receivers can drop duplicates.
  const announced = new Set<string>();
  const expirySweep = setInterval(() => {
    if (!notify) return;
    void store
      .listApprovals({ status: 'pending', limit: 500 }, new Date())
      .then((page) => {
        for (const a of page.items) {
          if (Date.parse(a.expiresAt) - Date.now() > 3600_000 || announced.has(a.id)) continue;
          announced.add(a.id);
          notify('approval.expiring', { id: a.id, tenant: a.tenant, expiresAt: a.expiresAt }, `${a.id}:expiring`);
        }
      })
      .catch(() => metrics.storeErrors.inc({ operation: 'approvals' }));
  }, 60_000);
  expirySweep.unref();

  const alerts = notify ? new AlertEvaluator(metrics, notify).start() : undefined;

  const controls = await openControls({
    home: o.home,
    metrics,
    log,
    ...(o.databaseUrl ? { databaseUrl: o.databaseUrl } : {}),
    ...(o.schema ? { schema: o.schema } : {}),
    ...(o.redisUrl ? { redisUrl: o.redisUrl } : {}),
  });

  let accepting = true;
  const app = await buildApp({
    governor,
    policy,
    store,
    audit,
    auth: new Authenticator(store),
    metrics,
    log,
    accepting: () => accepting,
    scrubKeys: keys,
    controls,
    ...(notify ? { notify } : {}),
  });

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      accepting = false;
      clearInterval(expirySweep);
      alerts?.stop();
      await app.close(); // stops accepting, waits for in-flight requests
      await audit.close(); // flushes pending records, signs a final checkpoint
      await policy.close();
      await webhooks?.drain();
      await controls.close();
      await store.close();
    })());

  const svc: Service = { app, store, policy, audit, close };
  if (bootstrapKey) svc.bootstrapKey = bootstrapKey;
  return svc;
}

export const DEFAULT_PORT = 8787;
