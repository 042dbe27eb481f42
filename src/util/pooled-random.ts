/**
 * Uniform random numbers in [0, 1) from the system CSPRNG, drawn 4 KiB at a time. ulidx's default
 * source asks the CSPRNG once per character (16 calls per id), which showed up on the decision path.
 */
import { randomFillSync } from 'node:crypto';

const POOL = new Uint8Array(4096);
let next = POOL.length;

/** One random byte / 256: enough resolution for ULID's base-32 characters (32 divides 256, so no bias). */
export function pooledRandom(): number {
  if (next === POOL.length) {
    randomFillSync(POOL);
    next = 0;
  }
  return POOL[next++]! / 256;
}
