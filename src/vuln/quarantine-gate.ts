/**
 * The scanner asks ESQ's policy engine what a finding triggers and whether a quarantine may lift,
 * the way any other caller does: through a running decision service when there is one (ESQ_URL,
 * so incidents and approval requests show in its console), else through an embedded governor and
 * the same store `esq serve` uses under ESQ_HOME (so a later `esq serve` console shows them).
 */
import { hostname } from 'node:os';
import { join } from 'node:path';
import { FileIncidentSink } from '../audit/file-incident-sink.js';
import { settleDeferral } from '../controls/approvals/deferral.js';
import { currentStatus, type ApprovalStatus } from '../controls/approvals/approval.js';
import type { Governor } from '../engine/governor.js';
import type { IncidentSink } from '../engine/ports.js';
import type { Action, Decision } from '../engine/types.js';
import { ConfigError } from '../errors.js';
import { createGovernor } from '../esq.js';
import { RemoteGovernor, UNAVAILABLE_RULE_ID, defaultRemote } from '../hook/remote.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/port.js';
import type { PendingLift } from './quarantine.js';
import { liftAction, quarantineAction, type ServiceRef } from './quarantine-actions.js';
import type { Finding, Severity } from './types.js';

/** Decides actions as the decision service does: files a block's incident, raises a defer's approval request, uses an approval once on resubmission. */
export interface Decider {
  decide(action: Action): Promise<Decision>;
  /** Status of an approval request; undefined when there is no such request. */
  approvalStatus(id: string): Promise<ApprovalStatus | undefined>;
}

export interface GateDecision {
  cordon: boolean;
  reason: string;
  ruleId?: string;
  incidentId?: string;
}

export type LiftRequest =
  | { status: 'approved'; reason: string }
  | { status: 'pending'; lift: PendingLift; required: number; expiresInSeconds: number }
  | { status: 'refused'; reason: string };

export type LiftOutcome = { status: 'lifted'; reason: string } | { status: 'pending' } | { status: 'denied' | 'expired' | 'refused'; reason: string };

/** What the watch loop asks; implemented over the policy engine by `policyGate`. */
export interface QuarantineGate {
  /** Whether these findings cordon the service. The engine files the incident of a cordon. */
  decide(findings: Finding[]): Promise<GateDecision>;
  /** Asks to lift; usually raises an approval request (the lift is high risk). */
  requestLift(o: { advisories: string[]; trigger: 'resolved' | 'operator' }): Promise<LiftRequest>;
  /** Checks a pending lift; once approved, resubmits it with the approval (used once). */
  completeLift(p: PendingLift): Promise<LiftOutcome>;
}

export function policyGate(decider: Decider, svc: ServiceRef & { quarantineOn?: Severity }, now: () => Date = () => new Date()): QuarantineGate {
  return {
    async decide(findings) {
      const d = await decider.decide(quarantineAction(svc, findings, svc.quarantineOn ? { quarantineOn: svc.quarantineOn } : {}));
      const out: GateDecision = { cordon: d.effect === 'block', reason: d.reason };
      if (d.ruleId) out.ruleId = d.ruleId;
      if (d.incidentId) out.incidentId = d.incidentId;
      return out;
    },
    async requestLift(o) {
      const action = liftAction(svc, o);
      const d = await decider.decide(action);
      if (d.effect === 'defer' && d.approvalId) {
        return {
          status: 'pending',
          lift: { approvalId: d.approvalId, requestedAt: now().toISOString(), action },
          required: d.risk?.approvals ?? 1,
          expiresInSeconds: d.risk?.expiresInSeconds ?? 0,
        };
      }
      if (d.allow) return { status: 'approved', reason: d.reason };
      return { status: 'refused', reason: d.effect === 'defer' ? `the lift needs an approval but no request could be raised (${d.reason})` : d.reason };
    },
    async completeLift(p) {
      const status = await decider.approvalStatus(p.approvalId);
      if (status === undefined) return { status: 'refused', reason: `approval ${p.approvalId} no longer exists` };
      if (status === 'pending') return { status: 'pending' };
      if (status === 'denied' || status === 'expired') return { status, reason: `approval ${p.approvalId} was ${status}` };
      const d = await decider.decide({ ...p.action, approvalId: p.approvalId });
      return d.allow ? { status: 'lifted', reason: d.reason } : { status: 'refused', reason: d.reason };
    },
  };
}

/** The decision service over HTTP. A fallback decision (service unreachable) is no answer: the caller asks again later. */
export function remoteDecider(remote: RemoteGovernor): Decider {
  return {
    async decide(action) {
      const d = await remote.decide(action, 'closed');
      if (d.ruleId === UNAVAILABLE_RULE_ID) throw new ConfigError(d.reason);
      return d;
    },
    async approvalStatus(id) {
      try {
        return await remote.waitForApproval(id, 0);
      } catch (e) {
        if (/\(404\)/.test((e as Error).message)) return undefined;
        throw e;
      }
    },
  };
}

export interface EmbeddedOptions {
  home: string;
  /** ESQ_DATABASE_URL: the shared store, as `esq serve` would use it. */
  databaseUrl?: string;
  /** Default: `createGovernor({ home })` (ESQ_PACK with the built-in companions, ESQ_ENV). */
  governor?: Governor;
  /** Where incidents go. Default: the store under ESQ_HOME, so the `esq serve` console lists them with the approvals. */
  incidents?: IncidentSink;
  /** Who asks for approvals (the approver must be someone else). */
  requester?: string;
  now?: () => Date;
}

/** The engine in this process, with approvals in the store under ESQ_HOME (opened per question: they are rare). */
export function embeddedDecider(o: EmbeddedOptions): Decider {
  // The governor's own sink stays files (it is never handed an incident here: `evaluate` returns them).
  let governor = o.governor;
  const gov = (): Governor => (governor ??= createGovernor({ home: o.home, incidents: new FileIncidentSink(join(o.home, 'incidents')) }));
  const requester = o.requester ?? `local:esq-scanner@${hostname()}`;
  const now = o.now ?? (() => new Date());
  const withStore = async <T>(f: (s: Store) => Promise<T>): Promise<T> => {
    const store = await openStore({ home: o.home, ...(o.databaseUrl ? { databaseUrl: o.databaseUrl } : {}) });
    try {
      return await f(store);
    } finally {
      await store.close();
    }
  };
  return {
    async decide(action) {
      const g = gov();
      let { decision, incident } = g.evaluate(action);
      if (decision.effect === 'defer') {
        const settled = await withStore((store) => settleDeferral({ store, governor: g }, action, decision, requester, now()));
        decision = settled.decision;
        if (settled.incident) incident = settled.incident;
      }
      if (incident) {
        const filed = incident;
        if (o.incidents) o.incidents.record(filed);
        else await withStore((store) => store.putIncident(filed));
      }
      return decision;
    },
    async approvalStatus(id) {
      const t = now();
      const a = await withStore((store) => store.getApproval(id, t));
      return a ? currentStatus(a, t) : undefined;
    },
  };
}

/**
 * The gate a scanner uses by default: the decision service at ESQ_URL when set (or the remote
 * governor given), else the embedded engine and store under `home`.
 */
export function defaultGate(o: ServiceRef & { home: string; quarantineOn?: Severity; governor?: Governor | RemoteGovernor; now?: () => Date }): QuarantineGate {
  const remote = o.governor instanceof RemoteGovernor ? o.governor : o.governor ? undefined : defaultRemote();
  const decider = remote
    ? remoteDecider(remote)
    : embeddedDecider({
        home: o.home,
        ...(process.env.ESQ_DATABASE_URL ? { databaseUrl: process.env.ESQ_DATABASE_URL } : {}),
        ...(o.governor && !(o.governor instanceof RemoteGovernor) ? { governor: o.governor } : {}),
        ...(o.now ? { now: o.now } : {}),
      });
  return policyGate(decider, { service: o.service, classification: o.classification, ...(o.quarantineOn ? { quarantineOn: o.quarantineOn } : {}) }, o.now);
}
