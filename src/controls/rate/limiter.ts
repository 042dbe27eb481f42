/**
 * Rate limits: every configured rule that applies to a request takes from its own bucket (per tenant,
 * principal, API key and/or action). The request is admitted only if all of them admit it; when one
 * refuses, the buckets already taken from are refunded, so a refused request consumes nothing.
 *
 * A store failure follows the rule's mode: fail-closed throws RateLimitUnavailable (503); fail-open
 * admits the request, logs it and reports it through `onFallback` — never a quiet switch to
 * per-replica memory, which would multiply the limit by the replica count.
 */
import { logger } from '../../util/log.js';
import { gcraStep, gcraView, type GcraView } from './gcra.js';
import { RateLimitUnavailable } from './errors.js';
import { rateLimitHeaders } from './headers.js';
import type { RateStore } from './rate-store.js';

export type RateDimension = 'tenant' | 'principal' | 'apiKey' | 'action';
export type StoreFailureMode = 'fail-open' | 'fail-closed';

export interface RateRule {
  id: string;
  /** What the bucket is per; a request missing one of these is not subject to the rule. */
  by: RateDimension[];
  limit: number;
  periodSeconds: number;
  burst: number;
  /** Action-name patterns the rule applies to; absent: every action. */
  actions?: RegExp[];
  onStoreError: StoreFailureMode;
  /** Whether budget throttling (the `factor`) shrinks this rule's rate. */
  throttle: boolean;
}

export interface RateSubject {
  tenant?: string;
  principal?: string;
  apiKey?: string;
  action?: string;
}

export interface RateDecision {
  allowed: boolean;
  /** RateLimit-Limit / -Remaining / -Reset, and Retry-After when refused; empty when no rule answered. */
  headers: Record<string, string>;
  limit?: number;
  remaining?: number;
  resetSeconds?: number;
  retryAfterSeconds?: number;
  /** The rule that refused, or the one closest to its limit. */
  ruleId?: string;
  /** Rules that could not reach the store and admitted under fail-open. */
  fallbacks: string[];
}

export interface FallbackEvent {
  ruleId: string;
  key: string;
  mode: StoreFailureMode;
  store: RateStore['kind'];
  error: unknown;
}

export interface RateLimiterOptions {
  clock?: () => Date;
  /** Counts fail-open admissions (a metrics counter). Called for every fallback. */
  onFallback?: (e: FallbackEvent) => void;
  /** A store call slower than this counts as a failure. Default 1000 ms. */
  timeoutMs?: number;
}

export interface ConsumeOptions {
  /** Requests this one counts as. Default 1. */
  cost?: number;
  /** Allowed-rate factor from budget throttling (0 < factor ≤ 1). Default 1. */
  factor?: number;
}

export interface RateLimiter {
  readonly store: RateStore;
  /** A subject is matched against every rule; a plain string is one opaque key used by every rule. */
  consume(subject: RateSubject | string, opts?: ConsumeOptions): Promise<RateDecision>;
}

function keyFor(rule: RateRule, subject: RateSubject | string): string | undefined {
  if (typeof subject === 'string') return `${rule.id}|${encodeURIComponent(subject)}`;
  if (rule.actions && !(subject.action !== undefined && rule.actions.some((re) => re.test(subject.action!)))) return undefined;
  const parts: string[] = [];
  for (const d of rule.by) {
    const v = subject[d];
    if (v === undefined || v === '') return undefined;
    parts.push(`${d}=${encodeURIComponent(v)}`);
  }
  return `${rule.id}|${parts.join(';')}`;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`rate-limit store did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

export function createRateLimiter(rules: readonly RateRule[] | { rules: readonly RateRule[] }, store: RateStore, opts: RateLimiterOptions = {}): RateLimiter {
  const list = 'rules' in rules ? rules.rules : rules;
  const clock = opts.clock ?? (() => new Date());
  const timeoutMs = opts.timeoutMs ?? 1000;
  // Every fallback is counted (onFallback); the log says so at most once a minute per rule, so an
  // outage does not flood it.
  const lastLogged = new Map<string, number>();

  return {
    store,
    async consume(subject, co = {}) {
      const cost = co.cost ?? 1;
      const factor = co.factor ?? 1;
      if (!(cost > 0) || !Number.isFinite(cost)) throw new RangeError('cost must be a positive number');
      if (!(factor > 0 && factor <= 1)) throw new RangeError('factor must be in (0, 1]');
      const nowUs = clock().getTime() * 1000;
      const taken: Array<{ key: string; incUs: number }> = [];
      const answered: Array<{ rule: RateRule; view: GcraView; limit: number }> = [];
      const fallbacks: string[] = [];

      const refundTaken = async () => {
        // Best effort: a refund that fails leaves that bucket slightly fuller, never over its limit.
        await Promise.allSettled(taken.map((t) => withTimeout(store.refund(t.key, t.incUs, nowUs), timeoutMs)));
      };

      for (const rule of list) {
        const key = keyFor(rule, subject);
        if (key === undefined) continue;
        const f = rule.throttle ? factor : 1;
        const step = gcraStep(rule, cost, f);
        const limit = Math.max(1, Math.floor(rule.limit * f));
        if (step.incUs > step.tolUs) {
          // Costs more than the bucket can ever hold: refused without touching the store.
          await refundTaken();
          const view: GcraView = { allowed: false, remaining: 0, resetSeconds: 0, retryAfterSeconds: rule.periodSeconds };
          return decision(false, { rule, view, limit }, fallbacks);
        }
        let result: { allowed: boolean; tatUs: number };
        try {
          result = await withTimeout(store.take(key, nowUs, step.incUs, step.tolUs), timeoutMs);
        } catch (error) {
          if (rule.onStoreError === 'fail-closed') {
            await refundTaken();
            throw new RateLimitUnavailable(rule.id, error);
          }
          fallbacks.push(rule.id);
          const nowMs = nowUs / 1000;
          if (nowMs - (lastLogged.get(rule.id) ?? -Infinity) >= 60_000) {
            lastLogged.set(rule.id, nowMs);
            logger().warn({ rule: rule.id, store: store.kind, err: (error as Error).message }, 'rate-limit store unavailable; admitting (fail-open)');
          }
          opts.onFallback?.({ ruleId: rule.id, key, mode: rule.onStoreError, store: store.kind, error });
          continue;
        }
        const view = gcraView(step, nowUs, result);
        if (!result.allowed) {
          await refundTaken();
          return decision(false, { rule, view, limit }, fallbacks);
        }
        taken.push({ key, incUs: step.incUs });
        answered.push({ rule, view, limit });
      }
      // Admitted: report the rule closest to its limit (fewest remaining, relative to its size).
      const tightest = answered.reduce<(typeof answered)[number] | undefined>(
        (best, a) => (!best || a.view.remaining / a.limit < best.view.remaining / best.limit ? a : best),
        undefined,
      );
      return decision(true, tightest, fallbacks);
    },
  };
}

function decision(allowed: boolean, a: { rule: RateRule; view: GcraView; limit: number } | undefined, fallbacks: string[]): RateDecision {
  if (!a) return { allowed, headers: {}, fallbacks };
  const figures = { limit: a.limit, remaining: a.view.remaining, resetSeconds: a.view.resetSeconds, ...(a.view.retryAfterSeconds !== undefined ? { retryAfterSeconds: a.view.retryAfterSeconds } : {}) };
  return { allowed, headers: rateLimitHeaders(figures), ...figures, ruleId: a.rule.id, fallbacks };
}
