/**
 * ESQ's public API. Everything a user imports is named here; nothing else is public.
 */
export { guard, actionFor, type GuardOptions, type Guarded } from './hook/guard.js';
export { guarded } from './hook/decorator.js';
export { createGovernor, defaultGovernor, setDefaultGovernor, type EsqOptions } from './esq.js';
export { Governor, type GovernorOptions, type DecideOptions } from './engine/governor.js';
export { decide, BYPASS_RULE_ID, type DecideContext } from './engine/decide.js';
export { effectRank, strongerEffect, isPermitting } from './engine/effects.js';
export type { PolicySet, CompiledRule, RulebookInfo, Prefilter } from './engine/policy-set.js';
export type { PolicyProvider, IncidentSink, ArgHasher } from './engine/ports.js';
export type {
  Action,
  Decision,
  DecisionTimings,
  DeploymentEnv,
  Effect,
  Finding,
  Incident,
  OnError,
  Principal,
  RuleMatch,
  RuleMode,
  Severity,
  Tier,
} from './engine/types.js';
export { compilePack, type PackSource, type SourceFile } from './policy/compile.js';
export { loadPack, loadPackSync, resolvePackDir, builtinPackNames } from './policy/pack-files.js';
export { LivePolicy, type ReloadStatus, type ReloadResult } from './policy/live-policy.js';
export { runPolicyTests, type PolicyTestReport } from './policy/policy-tests.js';
export { validateAction } from './util/validate-action.js';
export { FileIncidentSink } from './audit/file-incident-sink.js';
export { MemoryIncidentSink } from './audit/memory-incident-sink.js';
export { hmacArgHasher } from './audit/arg-hasher.js';
export { newIncidentId } from './audit/incident-id.js';
export {
  EsqError,
  PolicyLoadError,
  PackNotFoundError,
  InvalidActionError,
  InvalidInputError,
  ConfigError,
  PolicyViolation,
  ApprovalRequired,
  type EsqErrorCode,
  type SourceProblem,
} from './errors.js';
export { envelope, createVaultClient } from './envelope/vault/client.js';
export { RemoteGovernor, type RemoteOptions, type FailMode } from './hook/remote.js';
