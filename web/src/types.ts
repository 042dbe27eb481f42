/** The shapes the console reads from /console/api (the same JSON as the /v1 API). */

export type Role = 'decide' | 'read' | 'approve' | 'admin';

export interface SessionUser {
  name: string;
  kind: 'user' | 'apiKey';
  /** The identity votes are cast as (`user:<name>` or an API key id). */
  id: string;
  roles: Role[];
  tenant: string | null;
  expiresAt: string;
}

export interface Session {
  user: SessionUser;
  csrfToken: string;
}

export type RiskClass = 'low' | 'medium' | 'high' | 'critical';
export type ApprovalStatus = 'pending' | 'approved' | 'denied' | 'expired';

export interface Vote {
  approver: string;
  decision: 'approve' | 'deny';
  reason: string;
  at: string;
}

export interface Approval {
  id: string;
  tenant: string | null;
  requester: string;
  summary: { action: string; dest?: string; principal?: string; ruleId?: string; reason: string; riskClass: RiskClass };
  riskClass: RiskClass;
  required: number;
  status: ApprovalStatus;
  createdAt: string;
  expiresAt: string;
  decidedAt?: string;
  consumedAt?: string;
  votes: Vote[];
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export interface Incident {
  id: string;
  time: string;
  action: string;
  caller: { principal?: string; service?: string; tenant?: string; host?: string; pid?: number; user?: string; apiKey?: string };
  ruleId: string;
  severity: 'low' | 'medium' | 'high' | 'critical';
  reason: string;
  effect: string;
  env: string;
  policy: { name: string; version: string };
  argHashes: Record<string, string>;
  hashKeyId: string;
  trace: Array<{ ruleId: string; effect: string; mode: string; tier: string; error?: string }>;
}

export interface BudgetLine {
  tenant: string;
  budget: string;
  period: 'day' | 'month';
  periodKey: string;
  limitMicros: number;
  spentMicros: number;
  reservedMicros: number;
  utilisation: number;
  thresholds: number[];
  alerted: number[];
}

export interface PolicyInfo {
  pack: { name: string; version: string; rules: number };
  rules: Array<{ id: string; tier: string; effect: string; severity: string; description?: string }>;
}

export type AuditStatus =
  | { status: 'ok' | 'broken'; headSeq: number; checked: number; reason?: string; firstBadSeq?: number; checkpoint?: { seq: number; time: string; source: string; signatureValid: boolean }; verifiedAt: string }
  | { status: 'restricted' | 'error'; reason: string };

export interface Overview {
  generatedAt: string;
  window: { from: string; to: string; bucketSeconds: number; minutes: number };
  t: number[];
  decisions: number[];
  blocked: number[];
  guardrail: number[];
  decisionsPerSecond: number;
  latency: { p50Micros: number | null; p95Micros: number | null; samples: number };
  sample: { records: number; complete: boolean };
  approvals: { pending: number };
  audit: AuditStatus;
  policy: { name: string; version: string; ok: boolean; loadedAt: string; lastAttemptAt: string; reloads: number; failures: number; error?: { message: string } };
}
