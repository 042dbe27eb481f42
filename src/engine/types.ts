/**
 * The domain, in types. Every part of ESQ (hook, CLI, service, sidecar) speaks these.
 * The JSON Schema twin of `Action` is `schemas/action.schema.json`.
 */

/** What a decision says should happen. Ordered by precedence in `effects.ts`. */
export type Effect = 'allow' | 'block' | 'scrub' | 'defer' | 'warn';
export const EFFECTS: readonly Effect[] = ['allow', 'block', 'scrub', 'defer', 'warn'];

/** Rulebook tiers, highest authority first. Deny overrides across all of them. */
export type Tier = 'statute' | 'executive-order' | 'agency';
export const TIERS: readonly Tier[] = ['statute', 'executive-order', 'agency'];

export type Severity = 'low' | 'medium' | 'high' | 'critical';
export type RuleMode = 'enforce' | 'dry-run';
export type OnError = 'fail-closed' | 'fail-open';

/** Deployment environment. Comes from the deployment (ESQ_ENV), never from the action. */
export type DeploymentEnv = 'sandbox' | 'dev' | 'stage' | 'prod';
export const DEPLOYMENT_ENVS: readonly DeploymentEnv[] = ['sandbox', 'dev', 'stage', 'prod'];

export interface Principal {
  id: string;
  roles?: string[];
  /** Workload identity (e.g. a SPIFFE ID) when the caller is a service. */
  service?: string;
}

export interface DataDescriptor {
  classification?: string;
  tags?: string[];
}

export interface CostDescriptor {
  model?: string;
  inputTokens?: number;
  maxOutputTokens?: number;
  estimateMicros?: number;
}

/** What someone wants to do. */
export interface Action {
  name: string;
  args?: Record<string, unknown>;
  dest?: string;
  principal?: Principal;
  tenant?: string;
  data?: DataDescriptor;
  /** Text or JSON to scan with guardrails. */
  content?: unknown;
  cost?: CostDescriptor;
  /** Set when resubmitting an approved action. */
  approvalId?: string;
}

/** A detector's hit. Offsets are JavaScript string indices; the raw value is never kept. */
export interface Finding {
  entity: string;
  start: number;
  end: number;
  score: number;
  detector: string;
  /** For JSON content: the string leaf the offsets refer to, e.g. `messages[1].content`. */
  path?: string;
}

/** One rule that matched (or failed to evaluate and fell back to its onError) in a decision. */
export interface RuleMatch {
  ruleId: string;
  rulebook: string;
  tier: Tier;
  effect: Effect;
  severity: Severity;
  mode: RuleMode;
  message: string;
  /** Present when the rule did not evaluate cleanly and its `onError` decided instead. */
  error?: string;
}

export interface DecisionTimings {
  /** Microseconds spent evaluating rules (index lookup + CEL). */
  evalMicros: number;
  /** Rules whose conditions were evaluated (after index pruning). */
  rulesEvaluated: number;
}

export interface Decision {
  allow: boolean;
  effect: Effect;
  /** Human-readable reason, e.g. `Rule HIPAA-SC-12 violated (PHI to public bucket)`. */
  reason: string;
  /** Enforced rules that matched, winning rule first. */
  matches: RuleMatch[];
  /** Dry-run rules that matched: what they would have done. Never enforced. */
  dryRun: RuleMatch[];
  /** Rules that failed to evaluate and were skipped because they are fail-open. */
  failedOpen?: RuleMatch[];
  /** The rule that decided the effect, when one did. */
  ruleId?: string;
  /** True when no enforced rule matched and the pack's defaultEffect applied. */
  defaulted: boolean;
  /** True when a sandbox bypass skipped enforcement. */
  bypassed?: boolean;
  env: DeploymentEnv;
  policy: { name: string; version: string };
  incidentId?: string;
  approvalId?: string;
  /** Guardrail findings the rules saw (offsets and scores; never the values). */
  findings?: Finding[];
  /** The action's risk class and what it requires (set when the class is above low). */
  risk?: { class: 'low' | 'medium' | 'high' | 'critical'; approvals: number; expiresInSeconds: number; ruleId?: string };
  /** Budget reserved for this call (settle it with the actual cost, or release it). */
  reservation?: { id: string; amountMicros: number; expiresAt: string };
  /** Position of this decision's record in the service's audit log (set by the service). */
  auditSeq?: number;
  /** The content with findings replaced, when the effect is `scrub`. Same shape as `action.content`. */
  scrubbed?: unknown;
  timings: DecisionTimings;
}

/** Filed for every block: who, what, when, which rule. Hashes of arguments, never raw values. */
export interface Incident {
  id: string;
  time: string;
  action: string;
  /** Who asked: the principal the action names, the authenticated API key, and the process that checked. */
  caller: { principal?: string; service?: string; tenant?: string; host?: string; pid?: number; user?: string; apiKey?: string };
  ruleId: string;
  severity: Severity;
  reason: string;
  effect: Effect;
  env: DeploymentEnv;
  policy: { name: string; version: string };
  /** Keyed HMAC-SHA256 of each argument's canonical JSON, by argument name. */
  argHashes: Record<string, string>;
  /** Identifies the HMAC key (not the key itself) so hashes can be recomputed by its holder. */
  hashKeyId: string;
  /** The decision trace: every rule that matched, enforced or dry-run. */
  trace: Array<Pick<RuleMatch, 'ruleId' | 'effect' | 'mode' | 'tier'> & { error?: string }>;
}
