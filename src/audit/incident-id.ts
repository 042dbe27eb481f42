/**
 * Incident ids: `INC-` + a ULID (48-bit millisecond time + 80 random bits). Sortable by time, and
 * collisions need ~2^40 incidents in the same millisecond.
 */
import { monotonicFactory } from 'ulidx';
import { pooledRandom } from '../util/pooled-random.js';

const next = monotonicFactory(pooledRandom);
export function newIncidentId(now: Date = new Date()): string {
  return `INC-${next(now.getTime())}`;
}
export const INCIDENT_ID_PATTERN = /^INC-[0-9A-HJKMNP-TV-Z]{26}$/;
