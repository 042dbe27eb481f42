/**
 * OSV range semantics, as the schema's "Evaluation" section gives them: a version is affected
 * when it is listed in `versions` or lies in a range — events sorted by version (`introduced: "0"`
 * first), `introduced` opens, `fixed` closes at that version, `last_affected` closes after it,
 * and `limit` events bound the range from above. Withdrawn records match nothing.
 */
import type { Package } from '../types.js';
import type { OsvAffected, OsvEvent, OsvRange, OsvRecord } from './types.js';
import { ecosystemFamily, orderFor, type VersionOrder } from './versions/index.js';

export type MatchOutcome =
  | { status: 'affected'; fixedIn?: string; lastAffected?: string; entries: OsvAffected[] }
  | { status: 'unaffected' }
  | { status: 'unknown'; reason: string };

type RangeOutcome = { affected: boolean; fixedIn?: string; lastAffected?: string } | { unknown: string };

type Ev = { kind: 'introduced' | 'fixed' | 'last_affected' | 'limit'; v: string };

function eventOf(e: OsvEvent): Ev {
  const kind = Object.keys(e)[0] as Ev['kind'];
  return { kind, v: e[kind]! };
}

/** Tie order at one version: the range opens before it closes, so `{introduced: x, fixed: x}` is empty. */
const KIND_ORDER = { introduced: 0, last_affected: 1, fixed: 2, limit: 3 } as const;

export function evaluateRange(version: string, range: OsvRange, order: VersionOrder): RangeOutcome {
  if (!order.valid(version)) return { unknown: `version ${version} is not a valid ${order.name} version` };
  const events = range.events.map(eventOf);
  for (const e of events) {
    const special = (e.kind === 'introduced' && e.v === '0') || (e.kind === 'limit' && e.v === '*');
    if (!special && !order.valid(e.v)) return { unknown: `advisory bound ${e.kind}=${e.v} is not a valid ${order.name} version` };
  }
  const cmp = (a: string, b: string): number => order.compare(a, b);
  const limits = events.filter((e) => e.kind === 'limit');
  // BeforeLimits: with no limit an implicit "*" applies.
  if (limits.length > 0 && !limits.some((l) => l.v === '*' || cmp(version, l.v) < 0)) return { affected: false };

  const sorted = events
    .filter((e) => e.kind !== 'limit')
    .sort((a, b) => {
      const az = a.kind === 'introduced' && a.v === '0';
      const bz = b.kind === 'introduced' && b.v === '0';
      if (az || bz) return az && bz ? 0 : az ? -1 : 1;
      return cmp(a.v, b.v) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
    });
  let vulnerable = false;
  let openIndex = -1;
  sorted.forEach((e, i) => {
    if (e.kind === 'introduced' && (e.v === '0' || cmp(version, e.v) >= 0)) {
      vulnerable = true;
      openIndex = i;
    } else if (e.kind === 'fixed' && cmp(version, e.v) >= 0) vulnerable = false;
    else if (e.kind === 'last_affected' && cmp(version, e.v) > 0) vulnerable = false;
  });
  if (!vulnerable) return { affected: false };
  // The interval closes at the next fixed (or last_affected) event after the one that opened it.
  const close = sorted.slice(openIndex + 1).find((e) => e.kind === 'fixed' || e.kind === 'last_affected');
  if (close?.kind === 'fixed') return { affected: true, fixedIn: close.v };
  if (close?.kind === 'last_affected') return { affected: true, lastAffected: close.v };
  return { affected: true };
}

/** PyPI names compare normalised (PEP 503), NuGet IDs case-insensitively; the rest exactly. */
export function packageKey(ecosystem: string, name: string): string {
  const fam = ecosystemFamily(ecosystem);
  if (fam === 'PyPI') return name.toLowerCase().replace(/[-_.]+/g, '-');
  return fam === 'NuGet' ? name.toLowerCase() : name;
}

/** The name and version OSV knows a package by: distributions list source packages. */
export function osvIdentity(pkg: Package): { name: string; version: string } {
  return pkg.sourcePackage ?? { name: pkg.name, version: pkg.version };
}

/** Same ecosystem, where a missing release (`Debian` vs `Debian:12`) matches any release. */
export function ecosystemMatches(advisory: string, installed: string): boolean {
  if (advisory === installed) return true;
  if (ecosystemFamily(advisory) !== ecosystemFamily(installed)) return false;
  return !advisory.includes(':') || !installed.includes(':');
}

function minVersion(a: string | undefined, b: string | undefined, order: VersionOrder | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined || !order) return a;
  try {
    return order.compare(a, b) <= 0 ? a : b;
  } catch {
    return a;
  }
}

/** Lowest `fixed` above `version` in any range (for a version matched by the versions list). */
function lowestFixAbove(version: string, a: OsvAffected, ecosystem: string): string | undefined {
  let best: string | undefined;
  for (const r of a.ranges ?? []) {
    const order = orderFor(r.type, ecosystem);
    if (!order || !order.valid(version)) continue;
    for (const e of r.events) {
      if (e.fixed !== undefined && order.valid(e.fixed) && order.compare(e.fixed, version) > 0) best = minVersion(best, e.fixed, order);
    }
  }
  return best;
}

/** Does `record` affect `pkg`? */
export function matchRecord(pkg: Package, record: OsvRecord): MatchOutcome {
  if (record.withdrawn) return { status: 'unaffected' };
  const { name, version } = osvIdentity(pkg);
  const key = packageKey(pkg.ecosystem, name);
  const entries = (record.affected ?? []).filter((a) => a.package && ecosystemMatches(a.package.ecosystem, pkg.ecosystem) && packageKey(a.package.ecosystem, a.package.name) === key);
  if (entries.length === 0) return { status: 'unaffected' };

  const hits: OsvAffected[] = [];
  let fixedIn: string | undefined;
  let lastAffected: string | undefined;
  let unknown: string | undefined;
  let fixOrder: VersionOrder | undefined;
  for (const a of entries) {
    let hit = false;
    let entryUnknown: string | undefined;
    for (const r of a.ranges ?? []) {
      if (r.type === 'GIT') continue; // commit ranges; the versions list stands for them
      const order = orderFor(r.type, pkg.ecosystem);
      if (!order) {
        entryUnknown = `no version ordering for ${r.type} ranges in ${pkg.ecosystem}`;
        continue;
      }
      const out = evaluateRange(version, r, order);
      if ('unknown' in out) {
        entryUnknown = out.unknown;
        continue;
      }
      if (!out.affected) continue;
      hit = true;
      fixOrder = order;
      fixedIn = minVersion(fixedIn, out.fixedIn, order);
      if (out.lastAffected !== undefined) lastAffected = out.lastAffected;
    }
    if (a.versions?.includes(version)) {
      if (!hit) fixedIn = minVersion(fixedIn, lowestFixAbove(version, a, pkg.ecosystem), fixOrder ?? orderFor('ECOSYSTEM', pkg.ecosystem));
      hit = true;
    }
    if (hit) hits.push(a);
    // An enumerated versions list answers for ranges we cannot order.
    else if (entryUnknown && !(a.versions && a.versions.length > 0)) unknown = entryUnknown;
  }
  if (hits.length > 0) {
    const out: MatchOutcome = { status: 'affected', entries: hits };
    if (fixedIn !== undefined) out.fixedIn = fixedIn;
    else if (lastAffected !== undefined) out.lastAffected = lastAffected;
    return out;
  }
  return unknown ? { status: 'unknown', reason: unknown } : { status: 'unaffected' };
}
