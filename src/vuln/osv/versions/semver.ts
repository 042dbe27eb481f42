/** SemVer 2.0 precedence (npm versions and OSV `SEMVER` ranges), via the `semver` package. */
import semver from 'semver';

const cache = new Map<string, semver.SemVer | null>();

export function parseSemver(v: string): semver.SemVer | undefined {
  let p = cache.get(v);
  if (p === undefined) {
    // Loose parsing accepts `v1.2.3` and `=1.2.3`, which some advisories and lockfiles carry.
    p = semver.parse(v) ?? semver.parse(v, { loose: true });
    if (cache.size > 100_000) cache.clear();
    cache.set(v, p);
  }
  return p ?? undefined;
}

export function compareSemver(a: string, b: string): number {
  const pa = parseSemver(a);
  const pb = parseSemver(b);
  if (!pa) throw new Error(`not a semantic version: ${JSON.stringify(a)}`);
  if (!pb) throw new Error(`not a semantic version: ${JSON.stringify(b)}`);
  return pa.compare(pb);
}
