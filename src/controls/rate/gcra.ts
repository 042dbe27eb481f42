/**
 * Token bucket as GCRA (generic cell rate algorithm): one number per key, the theoretical arrival
 * time `tat`. A request costing `inc` fits when `max(tat, now) + inc − tolerance ≤ now`; then
 * `tat := max(tat, now) + inc`. A refused request changes nothing, so it consumes nothing.
 * Times are integer microseconds; every store applies exactly this step atomically.
 */

export interface GcraRule {
  /** Requests per period. */
  limit: number;
  periodSeconds: number;
  /** Requests that may arrive at once; default the limit. */
  burst: number;
}

export interface GcraStep {
  /** Cost of this request, in µs of bucket time. */
  incUs: number;
  /** Bucket depth in µs: `burst` unthrottled requests. */
  tolUs: number;
  /** One unit at the current factor, for `remaining`. */
  unitUs: number;
}

/** Bucket time for `cost` requests when the allowed rate is scaled by `factor` (0 < factor ≤ 1). */
export function gcraStep(rule: GcraRule, cost = 1, factor = 1): GcraStep {
  // Rounded up once per unit, and the depth built from the same unit, so `burst` requests always fit.
  const baseUnit = Math.ceil((rule.periodSeconds * 1e6) / rule.limit);
  const unitUs = Math.ceil(baseUnit / factor);
  return { incUs: Math.ceil((cost * baseUnit) / factor), tolUs: baseUnit * rule.burst, unitUs };
}

/** The pure step the stores implement. `tat` undefined: the key has no state (a full bucket). */
export function gcraTake(tatUs: number | undefined, nowUs: number, incUs: number, tolUs: number): { allowed: boolean; tatUs: number } {
  const from = Math.max(tatUs ?? nowUs, nowUs);
  if (from + incUs - tolUs > nowUs) return { allowed: false, tatUs: tatUs ?? nowUs };
  return { allowed: true, tatUs: from + incUs };
}

export interface GcraView {
  allowed: boolean;
  /** Requests (at the current rate) that would still be admitted right now. */
  remaining: number;
  /** Seconds until the bucket is full again. */
  resetSeconds: number;
  /** When refused: seconds until this request would fit. */
  retryAfterSeconds?: number;
}

/** What a store's answer means for headers. */
export function gcraView(step: GcraStep, nowUs: number, result: { allowed: boolean; tatUs: number }): GcraView {
  const ahead = Math.max(0, result.tatUs - nowUs);
  const resetSeconds = Math.ceil(ahead / 1e6);
  if (result.allowed) {
    return { allowed: true, remaining: Math.max(0, Math.floor((step.tolUs - ahead) / step.unitUs)), resetSeconds };
  }
  const fitsAt = Math.max(result.tatUs, nowUs) + step.incUs - step.tolUs;
  return { allowed: false, remaining: 0, resetSeconds, retryAfterSeconds: Math.max(1, Math.ceil((fitsAt - nowUs) / 1e6)) };
}
