/**
 * Load test of the decision service on loopback: `POST /v1/decide` (hipaa pack, guardrails and
 * the durable audit log on) beside two floors of the same server in the same run: `GET /healthz`
 * (no auth, no body) and `GET /v1/whoami` (API-key auth, no work). The server runs in its own
 * process; autocannon shares the two cores with it, so the ratios are the figures that carry
 * across machines. Bounded: a few seconds per endpoint.
 *
 * 32 connections: enough to keep the server busy (the audit group commit batches them), while by
 * Little's law 64 in flight at 8,000/s would already mean 8 ms of queueing per request.
 *
 * A third baseline is a peer, not this server: a bare Fastify process (same version, options and
 * strict Action-schema validation) whose POST /v1/decide does nothing but answer a decision-sized
 * JSON. It is the framework's own floor for a validated JSON POST, so decide/floor is the cost of
 * the decision, guardrails, incident and durable audit, and floor/healthz what any POST with a
 * body costs against a bodiless GET on the same cores. A fourth, the audit floor, is that process
 * plus the service's durable audit log (one minimal record per request, acknowledged after its
 * group commit's fsync): what durability alone leaves of /healthz's throughput on these cores.
 */
import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServiceProcess } from '../test/service-process.js';
import { cpuMicros, type Cpu } from './proc.js';
import { benchRole, forkRole } from './roles.js';
import { median } from './stats.js';

const SELF = fileURLToPath(import.meta.url);

/** The framework floor, in a process of its own: Fastify as the service configures it, and nothing else. */
async function frameworkFloorRole(): Promise<void> {
  const { baseApp } = await import('../src/server/app.js');
  const { actionBodySchema } = await import('../src/server/routes/decide.js');
  const app = baseApp();
  const decision = { allow: false, effect: 'block', reason: 'Rule HIPAA-SC-12 violated (PHI may only be sent to an approved HIPAA zone)', ruleId: 'HIPAA-SC-12', matches: [{ ruleId: 'HIPAA-SC-12', rulebook: 'hipaa-privacy-rule', tier: 'statute', effect: 'block', severity: 'high', mode: 'enforce', message: 'PHI may only be sent to an approved HIPAA zone' }], dryRun: [], policy: { name: 'hipaa', version: '8d52efc410bb38f4' }, env: 'prod', timings: { evalMicros: 3.1, rulesEvaluated: 2 }, incidentId: 'inc_01JZ0000000000000000000000', auditSeq: 123456 };
  app.post('/v1/decide', { schema: { body: actionBodySchema() } }, async (req) => ({ ...decision, action: (req.body as { name: string }).name }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  process.send!({ port: (app.server.address() as AddressInfo).port });
}

/**
 * The framework floor plus the durable audit log as the service runs it (same store, writer thread,
 * group commit and checkpoints), appending one minimal record per request: no authentication, no
 * decision, no incident. What durability alone costs on these cores, measured like the rest.
 */
async function auditFloorRole(home: string): Promise<void> {
  const { baseApp } = await import('../src/server/app.js');
  const { actionBodySchema } = await import('../src/server/routes/decide.js');
  const { openStore } = await import('../src/store/open.js');
  const { openServiceAuditLog } = await import('../src/server/audit-log.js');
  const store = await openStore({ home, auditWriter: 'worker' });
  const audit = openServiceAuditLog(store, { home });
  const app = baseApp();
  const decision = { allow: true, effect: 'allow', reason: 'No rule matched; pack hipaa defaults to allow', matches: [], dryRun: [], defaulted: true, policy: { name: 'hipaa', version: '8d52efc410bb38f4' }, env: 'prod', timings: { evalMicros: 3.1, rulesEvaluated: 2 } };
  app.post('/v1/decide', { schema: { body: actionBodySchema() } }, async (req) => {
    const name = (req.body as { name: string }).name;
    const rec = await audit.append({ kind: 'decision', principal: 'bench', action: name, effect: 'allow', ruleIds: [], data: { keyId: 'bench' } });
    return { ...decision, action: name, auditSeq: rec.seq };
  });
  process.on('SIGTERM', () => void audit.close().then(() => store.close()).finally(() => process.exit(0)));
  await app.listen({ port: 0, host: '127.0.0.1' });
  process.send!({ port: (app.server.address() as AddressInfo).port });
}

if (benchRole() === 'framework-floor') {
  process.on('SIGTERM', () => process.exit(0));
  await frameworkFloorRole();
}
if (benchRole() === 'audit-floor') await auditFloorRole(process.env.ESQ_BENCH_HOME!);

async function startFloor(role: 'framework-floor' | 'audit-floor', env?: Record<string, string>): Promise<{ url: string; pid: number | undefined; stop: () => void }> {
  const { child, port } = await forkRole(SELF, role, env ? { env } : {});
  return { url: `http://127.0.0.1:${port}`, pid: child.pid, stop: () => child.kill() };
}

interface Run {
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
  total: number;
  /**
   * Server CPU per request (user + system, from /proc): the whole process, and its main thread
   * (where HTTP, deciding and the audit hand-off run; the audit writer is another thread). Null
   * without /proc. A cost ratio that, unlike throughput, does not depend on how the load
   * generator shares the cores.
   */
  cpuMicrosPerRequest: { process: number; mainThread: number } | null;
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;

const CONNECTIONS = 32;
/** Paired /healthz–decide rounds for the headline ratio. */
const PAIRED_ROUNDS = 6;
const PAIRED_SECONDS = 3;
/** Enough in flight that the server, not the round trip of a closed loop, limits throughput. */
const SATURATING_CONNECTIONS = 128;

async function hammer(opts: autocannon.Options, serverPid?: number): Promise<Run> {
  const pids = serverPid ? [serverPid] : [];
  const before = { all: cpuMicros(pids), main: cpuMicros(pids, { thread: 'main' }) };
  const r = await autocannon({ connections: CONNECTIONS, duration: 6, pipelining: 1, ...opts });
  const after = { all: cpuMicros(pids), main: cpuMicros(pids, { thread: 'main' }) };
  const per = (a: Cpu | null, b: Cpu | null) => (a && b && r.requests.total > 0 ? Math.round((b.user + b.system - a.user - a.system) / r.requests.total) : 0);
  return {
    requestsPerSec: Math.round(r.requests.average),
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    errors: r.errors,
    non2xx: r.non2xx,
    total: r.requests.total,
    cpuMicrosPerRequest: serverPid && before.all ? { process: per(before.all, after.all), mainThread: per(before.main, after.main) } : null,
  };
}

export async function run(opts: { databaseUrl?: string } = {}) {
  const home = mkdtempSync(join(tmpdir(), 'esq-bench-svc-'));
  const svc = await startServiceProcess({ home, env: { ESQ_ENV: 'prod', ...(opts.databaseUrl ? { ESQ_DATABASE_URL: opts.databaseUrl } : {}) } });
  try {
    const auth = { authorization: `Bearer ${svc.adminKey}`, 'content-type': 'application/json' };
    const actions = [
      { name: 'export_phi', dest: 's3://hipaa_zone/reports', principal: { id: 'dr-lee', roles: ['clinician'] } },
      { name: 'export_phi', dest: 's3://public_dump', principal: { id: 'agent-7' } },
      { name: 'llm.chat', content: 'Summarise the visit of the patient with MRN 00482913 born 04/12/1961.', cost: { model: 'gpt-4o' }, principal: { id: 'agent-7' } },
      { name: 'list_reports', principal: { id: 'clerk' } },
    ];
    // Warm up both paths (JIT, connection pools, SQLite page cache).
    await autocannon({ url: `${svc.url}/v1/decide`, method: 'POST', headers: auth, body: JSON.stringify(actions[0]), connections: 16, duration: 2 });
    const pid = svc.child.pid;
    const trivial = await hammer({ url: `${svc.url}/healthz` }, pid);
    const authenticated = await hammer({ url: `${svc.url}/v1/whoami`, headers: auth }, pid);
    const decideLoad = {
      url: `${svc.url}/v1/decide`,
      method: 'POST' as const,
      headers: auth,
      requests: actions.map((a) => ({ method: 'POST' as const, path: '/v1/decide', headers: auth, body: JSON.stringify(a) })),
    };
    const decide = await hammer(decideLoad, pid);
    // At 32 connections every decision waits for its group commit's fsync with all the others, so
    // the closed loop idles part of the time; with more in flight, the server's CPU is the limit.
    const decideSaturated = await hammer({ ...decideLoad, connections: SATURATING_CONNECTIONS }, pid);
    const plain = { 'content-type': 'application/json' };
    const floorLoad = (url: string) => ({ url: `${url}/v1/decide`, method: 'POST' as const, headers: plain, requests: actions.map((a) => ({ method: 'POST' as const, path: '/v1/decide', headers: plain, body: JSON.stringify(a) })) });
    const warm = (url: string) => autocannon({ url: `${url}/v1/decide`, method: 'POST', headers: plain, body: JSON.stringify(actions[0]), connections: 16, duration: 1 });
    // The audit floor keeps its own store (SQLite here, like the service's embedded default).
    const auditServer = opts.databaseUrl ? undefined : await startFloor('audit-floor', { ESQ_BENCH_HOME: join(home, 'audit-floor') });
    let auditFloor: Run | undefined;
    const paired: Array<{ trivial: number; decide: number; auditFloor?: number; ratio: number; auditFloorRatio?: number }> = [];
    try {
      if (auditServer) {
        await warm(auditServer.url);
        auditFloor = await hammer(floorLoad(auditServer.url), auditServer.pid);
      }
      // The machine's speed drifts between phases, so a ratio of two phases measured a minute apart
      // is partly drift: /healthz, decide (and the audit floor) also take turns in short rounds,
      // the order rotated each round, and the headline ratios are medians of per-round ratios.
      const load = new Map<'trivial' | 'decide' | 'auditFloor', autocannon.Options>([['trivial', { url: `${svc.url}/healthz` }], ['decide', decideLoad]]);
      if (auditServer) load.set('auditFloor', floorLoad(auditServer.url));
      const turns = [...load.keys()];
      for (let r = 0; r < PAIRED_ROUNDS; r++) {
        const got = new Map<string, number>();
        for (let i = 0; i < turns.length; i++) {
          const t = turns[(i + r) % turns.length]!;
          got.set(t, (await hammer({ ...load.get(t)!, duration: PAIRED_SECONDS })).requestsPerSec);
        }
        const trivialRate = got.get('trivial')!;
        const round: (typeof paired)[number] = { trivial: trivialRate, decide: got.get('decide')!, ratio: r3(got.get('decide')! / trivialRate) };
        const floorRate = got.get('auditFloor');
        if (floorRate !== undefined) Object.assign(round, { auditFloor: floorRate, auditFloorRatio: r3(floorRate / trivialRate) });
        paired.push(round);
      }
    } finally {
      auditServer?.stop();
    }
    const verify = (await (await fetch(`${svc.url}/v1/audit/verify`, { headers: auth })).json()) as { ok: boolean; checked: number };
    const frameworkServer = await startFloor('framework-floor');
    let frameworkFloor: Run;
    try {
      await warm(frameworkServer.url);
      frameworkFloor = await hammer(floorLoad(frameworkServer.url), frameworkServer.pid);
    } finally {
      frameworkServer.stop();
    }
    const ratio = r3(decide.requestsPerSec / trivial.requestsPerSec);
    const ratioAuth = r3(decide.requestsPerSec / authenticated.requestsPerSec);
    return {
      name: opts.databaseUrl ? 'service-postgres' : 'service',
      store: opts.databaseUrl ? 'postgres' : 'sqlite',
      connections: CONNECTIONS,
      decide,
      decideSaturated: { connections: SATURATING_CONNECTIONS, ...decideSaturated },
      trivial,
      authenticated,
      ratioDecideOverTrivial: ratio,
      pairedRounds: {
        rounds: PAIRED_ROUNDS,
        secondsEach: PAIRED_SECONDS,
        connections: CONNECTIONS,
        perRound: paired,
        medianRatioDecideOverTrivial: r3(median(paired.map((p) => p.ratio))),
        ...(auditFloor ? { medianRatioAuditFloorOverTrivial: r3(median(paired.map((p) => p.auditFloorRatio!))) } : {}),
      },
      ratioDecideOverAuthenticated: ratioAuth,
      frameworkFloor,
      ratioDecideOverFrameworkFloor: r3(decide.requestsPerSec / frameworkFloor.requestsPerSec),
      ratioFrameworkFloorOverTrivial: r3(frameworkFloor.requestsPerSec / trivial.requestsPerSec),
      // Validated POST + durable audit record, nothing else: the ceiling durability alone leaves.
      ...(auditFloor ? { auditFloor, ratioAuditFloorOverTrivial: r3(auditFloor.requestsPerSec / trivial.requestsPerSec), ratioDecideOverAuditFloor: r3(decide.requestsPerSec / auditFloor.requestsPerSec) } : {}),
      ratioSaturatedDecideOverTrivial: r3(decideSaturated.requestsPerSec / trivial.requestsPerSec),
      // Main-thread CPU of /healthz over that of a decision: the throughput ratio a load generator
      // with no cost of its own would see, as both are bound by the main thread.
      ratioMainThreadCpuTrivialOverDecide: trivial.cpuMicrosPerRequest && decide.cpuMicrosPerRequest ? r3(trivial.cpuMicrosPerRequest.mainThread / decide.cpuMicrosPerRequest.mainThread) : null,
      auditChainAfterLoad: verify,
      targets: { decisionsPerSecAtLeast: 8000, p99MsUnder: 10, ratioAtLeast: 0.5, met: decide.requestsPerSec >= 8000 && decide.p99Ms < 10 && median(paired.map((p) => p.ratio)) >= 0.5 },
    };
  } finally {
    await svc.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

/**
 * The same load against PostgreSQL (the scale-out store), in a schema of its own that is dropped
 * afterwards. Skipped with a reason when PostgreSQL does not answer.
 */
export async function runPostgres(url = process.env.ESQ_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test') {
  const schema = `esq_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (e) {
    return { name: 'service-postgres', skipped: `PostgreSQL not reachable at ${url.replace(/:[^:@/]*@/, ':***@')}: ${(e as Error).message}` };
  }
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
    const u = new URL(url);
    u.searchParams.set('options', `-c search_path=${schema}`);
    return await run({ databaseUrl: u.toString() });
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await admin.end();
  }
}
