/**
 * The compiled, immutable form of a policy pack: what `decide()` reads. Built once per load by
 * `compilePack`, swapped atomically by hot reload, never mutated.
 */
import type { Action, Effect, Finding, OnError, RuleMode, Severity, Tier } from './types.js';

/** Necessary conditions of a rule, read off its expression at compile time. */
export interface Prefilter {
  /** The rule can only match when `action.name` is one of these. */
  actionNames?: string[];
  /** The rule can only match when `action.dest` starts with this. */
  destPrefix?: string;
  /** The rule can only match in this deployment environment. */
  env?: string;
  /** The rule can only match when `action.name` starts with this. */
  namePrefix?: string;
  /** The rule can only match when `action.dest` starts with one of these. */
  destPrefixes?: string[];
  /** The rule can only match when `action.data.classification` is one of these. */
  classifications?: string[];
  /** The rule can only match when `action.args` has all of these keys. */
  argKeys?: string[];
  /** The rule can only match when there are guardrail findings. */
  needsFindings?: true;
}

/** A compiled condition. The engine only calls it; how it was compiled (CEL) is policy/'s business. */
export interface CompiledCondition {
  readonly source: string;
  readonly evaluate: (activation: unknown) => unknown;
  readonly prefilter: Prefilter;
}

/** Builds the variables a condition sees, once per decision. */
export type ActivationBuilder = (action: Action, findings: readonly Finding[], env: string, now: Date) => unknown;

export interface CompiledRule {
  readonly id: string;
  readonly rulebook: string;
  readonly tier: Tier;
  readonly description: string;
  readonly effect: Effect;
  readonly message: string;
  readonly severity: Severity;
  readonly mode: RuleMode;
  readonly onError: OnError;
  readonly condition: CompiledCondition;
  readonly file: string;
  readonly line: number | undefined;
}

export interface RulebookInfo {
  readonly name: string;
  readonly tier: Tier;
  readonly file: string;
  readonly sha256: string;
  readonly rules: number;
}

export interface RuleIndex {
  /** Rules that can match an action of this name, in evaluation order. */
  candidates(actionName: string): readonly CompiledRule[];
}

export type RiskClass = 'low' | 'medium' | 'high' | 'critical';

/** How a risk class is handled: approvals needed (0 = none), their deadline, and whether to log. */
export interface RiskHandling {
  approvals: number;
  expiresInSeconds: number;
  log: boolean;
}

/** Risk controllers compiled from a pack's `settings.risk`. */
export interface CompiledRisk {
  readonly defaults: ReadonlyMap<string, RiskClass>;
  readonly rules: ReadonlyArray<{ id: string; cls: RiskClass; condition: CompiledCondition; description: string }>;
  readonly handling: Readonly<Record<RiskClass, RiskHandling>>;
}

export interface PolicySet {
  readonly name: string;
  /** Content hash of every file in the pack: changes exactly when the policy changes. */
  readonly version: string;
  readonly description: string;
  readonly defaultEffect: Effect;
  readonly rules: readonly CompiledRule[];
  readonly rulebooks: readonly RulebookInfo[];
  readonly index: RuleIndex;
  readonly settings: Readonly<Record<string, unknown>>;
  /** Risk classification and approval requirements. */
  readonly risk: CompiledRisk;
  /** Folder the pack was loaded from, when it came from disk. */
  readonly dir: string | undefined;
  readonly activation: ActivationBuilder;
  /** The exact texts this set was compiled from (what remote SDKs pull as the policy bundle). */
  readonly sources: { readonly manifest?: { path: string; text: string }; readonly rulebooks: ReadonlyArray<{ path: string; text: string }> };
}
