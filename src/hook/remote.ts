/**
 * The remote hook: asks the decision service (`ESQ_URL`, `ESQ_API_KEY`) per call, over a pooled
 * keep-alive connection, with a short timeout and a circuit breaker (closed → open after
 * consecutive failures → half-open probe). While the service cannot answer, the call's fail
 * mode decides: `closed` refuses (the default), `open` proceeds with a logged warning and a metric.
 */
import { BrokenCircuitError, ConsecutiveBreaker, CircuitState, circuitBreaker, handleAll, type CircuitBreakerPolicy } from 'cockatiel';
import { Pool } from 'undici';
import { ConfigError } from '../errors.js';
import type { Action, Decision } from '../engine/types.js';
import { logger } from '../util/log.js';

export type FailMode = 'closed' | 'open';

export interface RemoteOptions {
  /** Base URL of the decision service, e.g. http://127.0.0.1:8787 (ESQ_URL). */
  url: string;
  /** API key with the `decide` role (ESQ_API_KEY). */
  apiKey: string;
  /** Per-request timeout (default 1,000 ms). */
  timeoutMs?: number;
  /** What a call does while the service cannot answer (default `closed`). */
  failMode?: FailMode;
  /** Consecutive failures that open the breaker (default 5). */
  breakerThreshold?: number;
  /** How long the breaker stays open before a half-open probe (default 5,000 ms). */
  halfOpenAfterMs?: number;
  /** Counted when a call was decided by the fail mode, not the service. */
  onFallback?: (mode: FailMode, error: Error) => void;
}

/** Rule id of decisions made by the fail mode because the service could not answer. */
export const UNAVAILABLE_RULE_ID = 'ESQ-SERVICE-UNAVAILABLE';

export class RemoteGovernor {
  readonly #pool: Pool;
  readonly #breaker: CircuitBreakerPolicy;
  readonly #o: Required<Omit<RemoteOptions, 'onFallback'>> & Pick<RemoteOptions, 'onFallback'>;
  readonly #path: string;
  fallbacks = 0;

  constructor(options: RemoteOptions) {
    let u: URL;
    try {
      u = new URL(options.url);
    } catch {
      throw new ConfigError(`ESQ_URL="${options.url}" is not a URL (e.g. http://127.0.0.1:8787)`);
    }
    if (!options.apiKey) throw new ConfigError('the remote hook needs an API key with the decide role (ESQ_API_KEY)');
    this.#o = { timeoutMs: 1000, failMode: 'closed', breakerThreshold: 5, halfOpenAfterMs: 5000, ...options };
    this.#path = `${u.pathname.replace(/\/$/, '')}/v1/decide`;
    this.#pool = new Pool(u.origin, { connections: 16, pipelining: 1, keepAliveTimeout: 30_000, headersTimeout: this.#o.timeoutMs, bodyTimeout: this.#o.timeoutMs, connectTimeout: this.#o.timeoutMs });
    this.#breaker = circuitBreaker(handleAll, { halfOpenAfter: this.#o.halfOpenAfterMs, breaker: new ConsecutiveBreaker(this.#o.breakerThreshold) });
  }

  /** closed | open | half-open */
  get breakerState(): 'closed' | 'open' | 'half-open' {
    const s = this.#breaker.state;
    return s === CircuitState.Open || s === CircuitState.Isolated ? 'open' : s === CircuitState.HalfOpen ? 'half-open' : 'closed';
  }

  async decide(action: Action, failMode: FailMode = this.#o.failMode): Promise<Decision> {
    try {
      return await this.#breaker.execute(() => this.#post(action));
    } catch (e) {
      const err = e instanceof BrokenCircuitError ? new Error('circuit open: the decision service failed repeatedly') : (e as Error);
      if (err instanceof RemoteRefusal) throw err.cause; // the service answered: no fallback
      this.fallbacks++;
      this.#o.onFallback?.(failMode, err);
      return fallbackDecision(action, failMode, err);
    }
  }

  /**
   * Waits (long-polling the service) until an approval request is decided or `timeoutMs` passes.
   * Returns its status: approved, denied, expired, or pending on timeout.
   */
  async waitForApproval(id: string, timeoutMs: number): Promise<'approved' | 'denied' | 'expired' | 'pending'> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const left = until - Date.now();
      const wait = Math.max(0, Math.min(30, Math.floor(left / 1000)));
      const res = await this.#pool.request({
        path: `${this.#path.replace(/\/decide$/, '')}/approvals/${encodeURIComponent(id)}?wait=${wait}`,
        method: 'GET',
        headers: { authorization: `Bearer ${this.#o.apiKey}` },
        // A long poll answers only when a human decides: the pool's short header timeout must not apply.
        headersTimeout: wait * 1000 + this.#o.timeoutMs,
        signal: AbortSignal.timeout(wait * 1000 + this.#o.timeoutMs),
      });
      const body = (await res.body.json()) as { status?: string; error?: { message?: string } };
      if (res.statusCode !== 200) throw new ConfigError(`cannot read approval ${id} (${res.statusCode}): ${body.error?.message ?? ''}`);
      const status = body.status as 'approved' | 'denied' | 'expired' | 'pending';
      if (status !== 'pending' || Date.now() >= until) return status;
      if (wait === 0) await new Promise((r) => setTimeout(r, Math.min(250, Math.max(0, until - Date.now()))));
    }
  }

  async #post(action: Action): Promise<Decision> {
    const res = await this.#pool.request({
      path: this.#path,
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.#o.apiKey}` },
      body: JSON.stringify(action),
      signal: AbortSignal.timeout(this.#o.timeoutMs),
    });
    const text = await res.body.text();
    if (res.statusCode === 200 || res.statusCode === 202) return JSON.parse(text) as Decision;
    const msg = (() => {
      try {
        return (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? text;
      } catch {
        return text;
      }
    })();
    if (res.statusCode >= 500 || res.statusCode === 429) throw new Error(`decision service answered ${res.statusCode}: ${msg}`);
    // 4xx: our request or our key is wrong. Retrying elsewhere will not help; do not trip the breaker.
    throw new RemoteRefusal(new ConfigError(`decision service refused the request (${res.statusCode}): ${msg}`));
  }

  async close(): Promise<void> {
    await this.#pool.close();
  }
}

/** Carries a 4xx through the breaker without counting as a service failure. */
class RemoteRefusal extends Error {
  constructor(override readonly cause: Error) {
    super(cause.message);
  }
}

function fallbackDecision(action: Action, mode: FailMode, err: Error): Decision {
  const allow = mode === 'open';
  const reason = allow
    ? `decision service unavailable; proceeding because the call is fail-open (${err.message})`
    : `decision service unavailable; refusing because the call is fail-closed (${err.message})`;
  if (allow) logger().warn({ action: action.name, error: err.message }, reason);
  return {
    allow,
    effect: allow ? 'allow' : 'block',
    reason,
    matches: allow ? [] : [{ ruleId: UNAVAILABLE_RULE_ID, rulebook: 'esq-core', tier: 'statute', effect: 'block', severity: 'high', mode: 'enforce', message: 'decision service unavailable' }],
    dryRun: [],
    ...(allow ? {} : { ruleId: UNAVAILABLE_RULE_ID }),
    defaulted: false,
    env: 'prod',
    policy: { name: 'unavailable', version: 'none' },
    timings: { evalMicros: 0, rulesEvaluated: 0 },
  };
}

let shared: RemoteGovernor | undefined;
/** The process-wide remote governor when ESQ_URL is set (else undefined). */
export function defaultRemote(): RemoteGovernor | undefined {
  const url = process.env.ESQ_URL;
  if (!url) return undefined;
  shared ??= new RemoteGovernor({ url, apiKey: process.env.ESQ_API_KEY ?? '', failMode: process.env.ESQ_FAIL_MODE === 'open' ? 'open' : 'closed' });
  return shared;
}
