/**
 * The console's overview: decision traffic and violations per minute, decision rate and latency,
 * the approval backlog, the audit chain's status and the last policy reload. Traffic comes from the
 * most recent audit records (shared by every replica, unlike in-process metrics); the chain check
 * reads the whole log, so its result is cached briefly.
 */
import type { AuditRecord } from '../../audit/chain/record.js';
import type { ReloadStatus } from '../../policy/live-policy.js';
import type { AuditVerification } from '../audit-log.js';
import type { ServiceDeps } from '../app.js';
import type { Principal } from '../auth/api-keys.js';

export const BUCKET_SECONDS = 60;
/** Decisions per second are averaged over this many trailing seconds. */
const RATE_SECONDS = 300;

export interface Traffic {
  /** Bucket start times, epoch seconds, oldest first. */
  t: number[];
  decisions: number[];
  /** Decisions refused by a rule or guardrail (effect block). */
  blocked: number[];
  /** Guardrail findings in refused or scrubbed decisions (as esq_guardrail_violations_total counts them). */
  guardrail: number[];
  decisionsPerSecond: number;
  latency: { p50Micros: number | null; p95Micros: number | null; samples: number };
}

function percentile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** Buckets decision records by minute over the `minutes` before `now`. Pure. */
export function summarise(records: readonly AuditRecord[], now: Date, minutes: number): Traffic {
  const end = Math.floor(now.getTime() / 1000 / BUCKET_SECONDS) * BUCKET_SECONDS + BUCKET_SECONDS;
  const start = end - minutes * BUCKET_SECONDS;
  const t = Array.from({ length: minutes }, (_, i) => start + i * BUCKET_SECONDS);
  const decisions = new Array<number>(minutes).fill(0);
  const blocked = new Array<number>(minutes).fill(0);
  const guardrail = new Array<number>(minutes).fill(0);
  const latencies: number[] = [];
  const nowS = now.getTime() / 1000;
  let recent = 0;
  for (const r of records) {
    if (r.kind !== 'decision') continue;
    const s = Date.parse(r.time) / 1000;
    if (s > nowS - RATE_SECONDS && s <= nowS) recent++;
    const i = Math.floor((s - start) / BUCKET_SECONDS);
    if (i < 0 || i >= minutes) continue;
    decisions[i]!++;
    if (r.effect === 'block') blocked[i]!++;
    const findings = r.data.findings;
    if ((r.effect === 'block' || r.effect === 'scrub') && Array.isArray(findings)) guardrail[i]! += findings.length;
    const micros = r.data.evalMicros;
    if (typeof micros === 'number' && Number.isFinite(micros)) latencies.push(micros);
  }
  latencies.sort((a, b) => a - b);
  return {
    t,
    decisions,
    blocked,
    guardrail,
    decisionsPerSecond: recent / RATE_SECONDS,
    latency: { p50Micros: percentile(latencies, 0.5), p95Micros: percentile(latencies, 0.95), samples: latencies.length },
  };
}

export type AuditStatus =
  | { status: 'ok' | 'broken'; headSeq: number; checked: number; reason?: string; firstBadSeq?: number; checkpoint?: AuditVerification['checkpoint']; verifiedAt: string }
  | { status: 'restricted'; reason: string }
  | { status: 'error'; reason: string };

export interface Overview extends Traffic {
  generatedAt: string;
  window: { from: string; to: string; bucketSeconds: number; minutes: number };
  /** How many audit records were read, and whether they reach back to the window's start. */
  sample: { records: number; complete: boolean };
  approvals: { pending: number };
  audit: AuditStatus;
  policy: { name: string; version: string } & ReloadStatus;
}

export interface OverviewSource {
  /** How many of the newest audit records to read (default 5,000). */
  maxRecords?: number;
  /** How long a chain verification is reused (default 5 min: it reads the whole log). */
  verifyTtlMs?: number;
}

/** The overview for one principal: a tenant-scoped one sees its own tenant's traffic and backlog only. */
export function overviewSource(deps: ServiceDeps, o: OverviewSource = {}) {
  const maxRecords = o.maxRecords ?? 5000;
  const ttl = o.verifyTtlMs ?? 5 * 60_000;
  let cached: { at: number; result: Promise<AuditStatus> } | undefined;

  const verify = (): Promise<AuditStatus> => {
    const now = Date.now();
    if (cached && now - cached.at < ttl) return cached.result;
    const result = deps.audit.verify().then(
      (v): AuditStatus => ({
        status: v.ok ? 'ok' : 'broken',
        headSeq: v.head.seq,
        checked: v.checked,
        ...(v.reason ? { reason: v.reason } : {}),
        ...(v.firstBadSeq !== undefined ? { firstBadSeq: v.firstBadSeq } : {}),
        ...(v.checkpoint ? { checkpoint: v.checkpoint } : {}),
        verifiedAt: new Date().toISOString(),
      }),
      (e: Error): AuditStatus => ({ status: 'error', reason: e.message }),
    );
    cached = { at: now, result };
    return result;
  };

  return async (p: Principal, minutes: number): Promise<Overview> => {
    const now = deps.now?.() ?? new Date();
    const head = await deps.store.auditHead();
    const fromSeq = Math.max(1, head.seq - maxRecords + 1);
    const all = head.seq === 0 ? [] : await deps.store.readAudit({ fromSeq, limit: maxRecords });
    const records = p.tenant === null ? all : all.filter((r) => r.tenant === p.tenant);
    const traffic = summarise(records, now, minutes);
    const windowStart = traffic.t[0]! * 1000;
    const pending =
      p.tenant === null
        ? await deps.store.countPendingApprovals(now)
        : (await deps.store.listApprovals({ status: 'pending', tenant: p.tenant, limit: 500 }, now)).items.length;
    const policy = deps.policy.current;
    return {
      generatedAt: now.toISOString(),
      window: { from: new Date(windowStart).toISOString(), to: now.toISOString(), bucketSeconds: BUCKET_SECONDS, minutes },
      ...traffic,
      sample: { records: records.length, complete: fromSeq === 1 || (all[0] !== undefined && Date.parse(all[0].time) <= windowStart) },
      approvals: { pending },
      // The chain spans every tenant: its status is for keys and users without a tenant scope (as /v1/audit/verify).
      audit: p.tenant === null ? await verify() : { status: 'restricted', reason: 'the audit chain spans all tenants; sign in without a tenant scope to see its status' },
      policy: { name: policy.name, ...deps.policy.status },
    };
  };
}
