/**
 * The governor asks the current policy about an action and acts on a refusal: it files the
 * incident (with hashed arguments) before anyone hears "no". Synchronous, like decide(): the
 * allow path touches no disk and no network.
 */
import { decide } from './decide.js';
import { buildIncident, type Origin } from './incident.js';
import type { ArgHasher, ContentScanner, ContentScrubber, IncidentSink, PolicyProvider } from './ports.js';
import type { Action, Decision, DeploymentEnv, Finding, Incident } from './types.js';

export interface GovernorOptions {
  policy: PolicyProvider;
  /** Deployment environment, from configuration (ESQ_ENV). */
  env: DeploymentEnv;
  incidents: IncidentSink;
  hasher: ArgHasher;
  /** Input guardrails run on `action.content` when the caller gives no findings. */
  scanner?: ContentScanner;
  /** Applies the `scrub` effect to `action.content`. */
  scrubber?: ContentScrubber;
  newIncidentId: (now: Date) => string;
  clock?: () => Date;
  /** The process that runs the checks, recorded in incidents as part of "who". */
  origin?: Origin;
  /** The deployment asked for a bypass (ESQ_BYPASS=1): honoured only in sandbox. */
  bypass?: boolean;
  /** Called with every decision, e.g. to hand an audit record to a batching writer. Must not block. */
  onDecision?: (decision: Decision, action: Action) => void;
}

export interface DecideOptions {
  findings?: readonly Finding[];
  bypass?: boolean;
}

export class Governor {
  readonly env: DeploymentEnv;
  readonly #o: GovernorOptions;
  readonly #clock: () => Date;

  constructor(options: GovernorOptions) {
    this.#o = options;
    this.env = options.env;
    this.#clock = options.clock ?? (() => new Date());
  }

  get policy(): PolicyProvider {
    return this.#o.policy;
  }

  /**
   * Decides and, on a block, builds the incident — without filing it. The service uses this to
   * store the incident (and the audit record) durably before it answers.
   */
  evaluate(action: Action, opts: DecideOptions = {}): { decision: Decision; incident?: Incident } {
    const now = this.#clock();
    const policy = this.#o.policy.current; // read once: scan, decide and scrub see the same set
    const hasContent = action.content !== undefined && action.content !== null;
    const findings = opts.findings ?? (hasContent && this.#o.scanner ? this.#o.scanner.scan(action.content, policy) : []);
    const decision = decide(policy, action, {
      env: this.#o.env,
      now,
      findings,
      bypass: opts.bypass ?? this.#o.bypass ?? false,
    });
    if (findings.length > 0) decision.findings = [...findings];
    if (decision.effect === 'scrub' && hasContent && this.#o.scrubber) {
      decision.scrubbed = this.#o.scrubber.scrub(action.content, findings, policy, action.tenant);
    }
    if (decision.effect !== 'block') return { decision };
    const incident = buildIncident(action, decision, {
      id: this.#o.newIncidentId(now),
      now,
      hasher: this.#o.hasher,
      ...(this.#o.origin ? { origin: this.#o.origin } : {}),
    });
    decision.incidentId = incident.id;
    return { decision, incident };
  }

  /** Turns a decision into a block by a synthetic rule (e.g. an unusable approval), with its incident. */
  refuse(action: Action, d: Decision, ruleId: string, reason: string): { decision: Decision; incident: Incident } {
    const now = this.#clock();
    const decision: Decision = {
      ...d,
      allow: false,
      effect: 'block',
      reason,
      ruleId,
      matches: [{ ruleId, rulebook: 'esq-core', tier: 'statute', effect: 'block', severity: 'high', mode: 'enforce', message: reason }, ...d.matches],
    };
    const incident = buildIncident(action, decision, { id: this.#o.newIncidentId(now), now, hasher: this.#o.hasher, ...(this.#o.origin ? { origin: this.#o.origin } : {}) });
    decision.incidentId = incident.id;
    return { decision, incident };
  }

  /** Decides, files the incident of a block before returning, and reports the decision. */
  decide(action: Action, opts: DecideOptions = {}): Decision {
    const { decision, incident } = this.evaluate(action, opts);
    if (incident) this.#o.incidents.record(incident);
    this.#o.onDecision?.(decision, action);
    return decision;
  }

  /** The hasher incidents use; the service hashes audit summaries with it too. */
  get hasher(): ArgHasher {
    return this.#o.hasher;
  }
}
