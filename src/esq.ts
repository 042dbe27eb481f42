/**
 * Wiring: builds a Governor from settings with the embedded defaults (pack from disk, incidents
 * as files under ESQ_HOME, an HMAC key under ESQ_HOME/keys).
 */
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { hmacArgHasher } from './audit/arg-hasher.js';
import { FileIncidentSink } from './audit/file-incident-sink.js';
import { newIncidentId } from './audit/incident-id.js';
import { settingsFromEnv, parseDeploymentEnv } from './config.js';
import { Governor, type GovernorOptions } from './engine/governor.js';
import type { PolicySet } from './engine/policy-set.js';
import type { IncidentSink, PolicyProvider } from './engine/ports.js';
import type { DeploymentEnv } from './engine/types.js';
import { LivePolicy } from './policy/live-policy.js';
import { COMPANION_PACKS } from './policy/pack-files.js';
import { loadOrCreateKey } from './util/keys.js';
import { packGuardrails } from './guardrails/pipeline.js';
import { loadScrubKeys } from './guardrails/scrub/index.js';
import { logger } from './util/log.js';

export interface EsqOptions {
  /** A pack name (`hipaa`) or folder. Default: ESQ_PACK, else `hipaa`. */
  pack?: string;
  /** A compiled set or a provider (e.g. a LivePolicy) instead of `pack`. */
  policy?: PolicySet | PolicyProvider;
  /** Deployment environment. Default: ESQ_ENV, else `dev`. */
  env?: DeploymentEnv | string;
  /** State folder. Default: ESQ_HOME, else `./.esq`. */
  home?: string;
  incidents?: IncidentSink;
  /** Request a bypass (only honoured in sandbox). Default: ESQ_BYPASS=1. */
  bypass?: boolean;
  /** Hot-reload the pack when its files change. */
  watch?: boolean;
  clock?: () => Date;
  onDecision?: GovernorOptions['onDecision'];
}

function processOrigin(): { host: string; pid: number; user?: string } {
  let user: string | undefined;
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry (some containers): leave it out
  }
  return { host: hostname(), pid: process.pid, ...(user ? { user } : {}) };
}

const isPolicySet = (p: PolicySet | PolicyProvider): p is PolicySet => 'rules' in p;

export function createGovernor(options: EsqOptions = {}): Governor {
  const s = settingsFromEnv();
  const home = options.home ?? s.home;
  let policy: PolicyProvider;
  if (options.policy) policy = isPolicySet(options.policy) ? { current: options.policy } : options.policy;
  else {
    const live = LivePolicy.open(options.pack ?? s.pack, { log: logger(), companions: COMPANION_PACKS });
    if (options.watch) live.watch();
    policy = live;
  }
  let keys: ReturnType<typeof loadScrubKeys> | undefined;
  const guardrails = packGuardrails(() => (keys ??= loadScrubKeys({ home })));
  const o: GovernorOptions = {
    policy,
    env: options.env ? parseDeploymentEnv(options.env, 'env option') : s.env,
    incidents: options.incidents ?? new FileIncidentSink(join(home, 'incidents')),
    hasher: hmacArgHasher(loadOrCreateKey(home, 'incident-hmac')),
    newIncidentId,
    origin: processOrigin(),
    scanner: guardrails,
    scrubber: guardrails,
    bypass: options.bypass ?? s.bypass,
  };
  if (options.clock) o.clock = options.clock;
  if (options.onDecision) o.onDecision = options.onDecision;
  return new Governor(o);
}

let shared: Governor | undefined;
/** The process-wide governor `guard()` uses when none is given; built on first use from settings. */
export function defaultGovernor(): Governor {
  shared ??= createGovernor();
  return shared;
}
/** Replaces the process-wide governor (tests, apps that configure ESQ explicitly). */
export function setDefaultGovernor(g: Governor | undefined): void {
  shared = g;
}
