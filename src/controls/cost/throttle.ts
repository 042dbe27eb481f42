/**
 * Automatic throttling as a budget fills: above `startPercent` utilisation the allowed request rate
 * shrinks linearly, reaching `floor` (a fraction of the normal rate) at 100 %. The factor scales the
 * tenant's rate limit (see rate/limiter.ts `consume(…, { factor })`), so it is enforced by the same
 * shared buckets on every replica.
 */
export interface ThrottleCurve {
  /** Utilisation (percent of the tightest budget) where throttling begins. Default 80. */
  startPercent: number;
  /** Rate factor at 100 % and beyond, 0 < floor ≤ 1. Default 0.1. */
  floor: number;
}

/** utilisation (0.85 = 85 %) → allowed rate factor in [floor, 1]. */
export function throttle(utilisation: number, curve: ThrottleCurve): number {
  const start = curve.startPercent / 100;
  if (!(utilisation > start)) return 1; // also NaN → no throttling
  if (utilisation >= 1 || start >= 1) return curve.floor;
  return 1 - ((1 - curve.floor) * (utilisation - start)) / (1 - start);
}
