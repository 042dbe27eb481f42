import type { Effect } from './types.js';

/**
 * The shared precedence: block > defer > scrub > warn > allow. "Deny overrides": a block in any
 * tier wins, so lower tiers may add restrictions but can never relax a statute.
 */
const RANK: Record<Effect, number> = { allow: 0, warn: 1, scrub: 2, defer: 3, block: 4 };

export function effectRank(e: Effect): number {
  return RANK[e];
}

/** The stronger of two effects. */
export function strongerEffect(a: Effect, b: Effect): Effect {
  return RANK[b] > RANK[a] ? b : a;
}

/** Whether an effect lets the action proceed (possibly scrubbed or with a warning). */
export function isPermitting(e: Effect): boolean {
  return e === 'allow' || e === 'warn' || e === 'scrub';
}
