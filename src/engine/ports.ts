/**
 * The narrow interfaces the core talks to. Implementations live at the edges (audit/, policy/,
 * store/), so the engine never imports fs, net or a database driver.
 */
import type { PolicySet } from './policy-set.js';
import type { Finding, Incident } from './types.js';

/** Anything that can hand out the current policy set. A fixed set is `{ current: set }`. */
export interface PolicyProvider {
  readonly current: PolicySet;
}

/** Where incidents go. The file sink is the embedded default; the store adds a database sink. */
export interface IncidentSink {
  /** Durably records the incident before returning (blocks are rare; the allow path never calls this). */
  record(incident: Incident): void;
}

export interface ArgHasher {
  /** Keyed hash of a value's canonical JSON. */
  hash(value: unknown): string;
  /** Identifies the key (never the key itself). */
  readonly keyId: string;
}

/** Input guardrails: findings for an action's content (text or JSON), per the pack's settings. CPU only. */
export interface ContentScanner {
  scan(content: unknown, policy: PolicySet): Finding[];
}

/** The `scrub` effect: content with the findings replaced by the pack's operators (same shape as the input). */
export interface ContentScrubber {
  scrub(content: unknown, findings: readonly Finding[], policy: PolicySet, tenant: string | undefined): unknown;
}
