/**
 * decide(policySet, action, ctx) → Decision. Pure and synchronous: no I/O; the clock, findings
 * and environment come in through `ctx`.
 */
import { effectRank, isPermitting } from './effects.js';
import type { CompiledRule, PolicySet, Prefilter, RiskClass } from './policy-set.js';

const RISK_RANK: Record<RiskClass, number> = { low: 0, medium: 1, high: 2, critical: 3 };
import type { Action, Decision, DeploymentEnv, Effect, Finding, RuleMatch } from './types.js';

export interface DecideContext {
  /** Deployment environment, from the deployment's configuration. Never from the action. */
  env: DeploymentEnv;
  /** Decision time; defaults to the wall clock. Rules see it as `now`. */
  now?: Date;
  /** Guardrail findings for the action's content. Rules see them as `findings`. */
  findings?: readonly Finding[];
  /** The caller asked to bypass enforcement (ESQ_BYPASS=1 or an option). */
  bypass?: boolean;
}

/** The synthetic rule that refuses a bypass outside a sandbox. */
export const BYPASS_RULE_ID = 'ESQ-BYPASS';

function toMatch(rule: CompiledRule, effect: Effect, error?: string): RuleMatch {
  const m: RuleMatch = {
    ruleId: rule.id,
    rulebook: rule.rulebook,
    tier: rule.tier,
    effect,
    severity: rule.severity,
    mode: rule.mode,
    message: rule.message,
  };
  if (error !== undefined) m.error = error;
  return m;
}

function reasonFor(winner: RuleMatch): string {
  const msg = winner.message ? ` (${winner.message})` : '';
  const err = winner.error ? ` [evaluation error, fail-closed: ${winner.error}]` : '';
  switch (winner.effect) {
    case 'block':
      return `Rule ${winner.ruleId} violated${msg}${err}`;
    case 'defer':
      return `Rule ${winner.ruleId} requires approval${msg}`;
    case 'scrub':
      return `Rule ${winner.ruleId} requires scrubbing${msg}`;
    case 'warn':
      return `Rule ${winner.ruleId} warns${msg}`;
    case 'allow':
      return `Allowed by rule ${winner.ruleId}${msg}`;
  }
}

/**
 * False when a top-level conjunct of the rule's condition is certainly false for this action. Each
 * test reads the action as the CEL activation does (absent strings are "", absent maps empty), so
 * under CEL's `&&` (false absorbs errors too) the skipped rule could not have matched or failed.
 */
export function prefilterAdmits(pre: Prefilter, action: Action, dest: string, findings: readonly Finding[], env: string): boolean {
  if (pre.env !== undefined && pre.env !== env) return false;
  if (pre.destPrefix !== undefined && !dest.startsWith(pre.destPrefix)) return false;
  if (pre.namePrefix !== undefined && !action.name.startsWith(pre.namePrefix)) return false;
  if (pre.needsFindings && findings.length === 0) return false;
  if (pre.classifications !== undefined && !pre.classifications.includes(action.data?.classification ?? '')) return false;
  if (pre.destPrefixes !== undefined && !pre.destPrefixes.some((p) => dest.startsWith(p))) return false;
  if (pre.argKeys !== undefined) {
    const args = action.args ?? {};
    for (const k of pre.argKeys) if (!Object.prototype.hasOwnProperty.call(args, k)) return false;
  }
  return true;
}

export function decide(ps: PolicySet, action: Action, ctx: DecideContext): Decision {
  const started = performance.now();
  const candidates = ps.index.candidates(action.name);
  const findings = ctx.findings ?? [];
  const dest = action.dest ?? '';
  const matches: RuleMatch[] = [];
  const dryRun: RuleMatch[] = [];
  const failedOpen: RuleMatch[] = [];
  let activation: unknown;
  let evaluated = 0;

  for (const rule of candidates) {
    // Prefilters are necessary conditions of the expression: skipping is exact, not a heuristic.
    if (!prefilterAdmits(rule.condition.prefilter, action, dest, findings, ctx.env)) continue;
    activation ??= ps.activation(action, findings, ctx.env, ctx.now ?? new Date());
    evaluated++;

    let result: unknown;
    let error: string | undefined;
    try {
      result = rule.condition.evaluate(activation);
      if (typeof result !== 'boolean') error = `condition evaluated to ${typeof result}, not bool`;
    } catch (e) {
      error = e instanceof Error ? (e.message.split('\n')[0] ?? e.message) : String(e);
    }

    const bucket = rule.mode === 'dry-run' ? dryRun : matches;
    if (error === undefined) {
      if (result === true) bucket.push(toMatch(rule, rule.effect));
    } else if (rule.onError === 'fail-closed') {
      bucket.push(toMatch(rule, 'block', error));
    } else {
      failedOpen.push(toMatch(rule, rule.effect, error));
    }
  }

  // Risk controllers: the class is the highest of the action's default and every matching risk rule.
  let riskClass: RiskClass = ps.risk.defaults.get(action.name) ?? 'low';
  let riskRule: string | undefined;
  for (const r of ps.risk.rules) {
    activation ??= ps.activation(action, findings, ctx.env, ctx.now ?? new Date());
    let hit: boolean;
    try {
      hit = r.condition.evaluate(activation) === true;
    } catch {
      hit = true; // fail-closed: a risk rule that cannot be evaluated counts as matching
    }
    if (hit && RISK_RANK[r.cls] > RISK_RANK[riskClass]) {
      riskClass = r.cls;
      riskRule = r.id;
    }
  }

  let effect: Effect = ps.defaultEffect;
  let defaulted = true;
  if (matches.length > 0) {
    // Stable sort: the strongest effect first; among equals, the pack's order (statutes first).
    matches.sort((a, b) => effectRank(b.effect) - effectRank(a.effect));
    effect = matches[0]!.effect;
    defaulted = false;
  }
  let reason = defaulted ? `No rule matched; pack ${ps.name} defaults to ${effect}` : reasonFor(matches[0]!);
  let ruleId = defaulted ? undefined : matches[0]!.ruleId;
  let bypassed: boolean | undefined;

  // Approvals: a high or critical class turns a permitting decision into `defer`; a deferring rule
  // needs at least one approval. A block is never softened by risk handling.
  let risk: Decision['risk'];
  if (effect !== 'block') {
    const h = ps.risk.handling[riskClass];
    const needsApproval = h.approvals > 0 || effect === 'defer';
    const approvals = effect === 'defer' ? Math.max(1, h.approvals) : h.approvals;
    const expiresInSeconds = h.expiresInSeconds || ps.risk.handling.high.expiresInSeconds;
    if (needsApproval || riskClass !== 'low') {
      risk = { class: riskClass, approvals, expiresInSeconds: needsApproval ? expiresInSeconds : 0 };
      if (riskRule) risk.ruleId = riskRule;
    }
    if (needsApproval && effect !== 'defer') {
      effect = 'defer';
      ruleId = riskRule ?? `RISK-${riskClass.toUpperCase()}`;
      reason = `Risk class ${riskClass} requires ${approvals} approval${approvals === 1 ? '' : 's'} within ${Math.round(expiresInSeconds / 3600)} h${riskRule ? ` (${riskRule})` : ''}`;
    }
  }

  if (ctx.bypass) {
    if (ctx.env === 'sandbox') {
      bypassed = true;
      reason = `Bypassed in sandbox (without bypass: ${effect}${ruleId ? ` by ${ruleId}` : ''})`;
      effect = 'allow';
      ruleId = undefined;
    } else {
      // A bypass attempt outside a sandbox is itself a governance violation.
      const violation: RuleMatch = {
        ruleId: BYPASS_RULE_ID,
        rulebook: 'esq-core',
        tier: 'statute',
        effect: 'block',
        severity: 'critical',
        mode: 'enforce',
        message: `bypass requested in ${ctx.env}; bypass is honoured only in sandbox deployments`,
      };
      matches.unshift(violation);
      effect = 'block';
      ruleId = BYPASS_RULE_ID;
      reason = reasonFor(violation);
    }
  }

  const decision: Decision = {
    allow: isPermitting(effect),
    effect,
    reason,
    matches,
    dryRun,
    defaulted: defaulted && !bypassed && ruleId === undefined,
    env: ctx.env,
    policy: { name: ps.name, version: ps.version },
    // performance.now() is in milliseconds: µs to the nanosecond.
    timings: { evalMicros: Math.round((performance.now() - started) * 1e6) / 1000, rulesEvaluated: evaluated },
  };
  if (ruleId !== undefined) decision.ruleId = ruleId;
  if (bypassed) decision.bypassed = true;
  if (failedOpen.length > 0) decision.failedOpen = failedOpen;
  if (risk && !bypassed && effect !== 'block') decision.risk = risk;
  return decision;
}
