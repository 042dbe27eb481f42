/** The shared exit codes (ARCHITECTURE.md "Contracts"). */
import type { Effect } from '../engine/types.js';

export const EXIT = { OK: 0, INTERNAL: 1, USAGE: 2, REFUSED: 3, DEFERRED: 4 } as const;

export function exitCodeForEffect(effect: Effect): number {
  if (effect === 'block') return EXIT.REFUSED;
  if (effect === 'defer') return EXIT.DEFERRED;
  return EXIT.OK;
}
