/** Version orderings by OSV ecosystem and range type. */
import { compareDeb, parseDebVersion } from './dpkg.js';
import { compareSemver, parseSemver } from './semver.js';

export interface VersionOrder {
  name: string;
  valid(v: string): boolean;
  /** Negative, zero or positive; throws on an invalid version. */
  compare(a: string, b: string): number;
}

export const SEMVER_ORDER: VersionOrder = { name: 'semver', valid: (v) => parseSemver(v) !== undefined, compare: compareSemver };
export const DPKG_ORDER: VersionOrder = { name: 'dpkg', valid: (v) => parseDebVersion(v) !== undefined, compare: compareDeb };

/** `Debian:12` → `Debian`. */
export function ecosystemFamily(ecosystem: string): string {
  const i = ecosystem.indexOf(':');
  return i === -1 ? ecosystem : ecosystem.slice(0, i);
}

/**
 * The ordering of an `ECOSYSTEM` range in `ecosystem`, or undefined when ESQ has none (those
 * packages are reported as not evaluated rather than as clean).
 */
export function ecosystemOrder(ecosystem: string): VersionOrder | undefined {
  switch (ecosystemFamily(ecosystem)) {
    case 'npm':
    case 'crates.io':
    case 'Hex':
      return SEMVER_ORDER;
    case 'Debian':
    case 'Ubuntu':
      return DPKG_ORDER;
    default:
      return undefined;
  }
}

export function orderFor(rangeType: string, ecosystem: string): VersionOrder | undefined {
  if (rangeType === 'SEMVER') return SEMVER_ORDER;
  if (rangeType === 'ECOSYSTEM') return ecosystemOrder(ecosystem);
  return undefined; // GIT ranges need the repository's commit graph
}
