/**
 * One scan: every package of an inventory matched against the OSV records that name it,
 * advisories that are aliases of each other merged into one finding, and the smallest upgrade
 * per package that clears what can be cleared.
 */
import { ConfigError, InvalidInputError } from '../errors.js';
import type { DbInfo } from './osv/db.js';
import { matchRecord, osvIdentity, packageKey } from './osv/match.js';
import { OnlineUnavailable, type OsvApi } from './osv/online.js';
import { severityOf } from './osv/severity.js';
import type { OsvAffected, OsvRecord } from './osv/types.js';
import { ecosystemFamily, orderFor } from './osv/versions/index.js';
import { severityRank, type DatabaseInfo, type Finding, type FixSuggestion, type Inventory, type Package, type ScanResult, type Severity, type SeverityScore } from './types.js';

export interface AdvisorySource {
  recordsFor(ecosystem: string, name: string): OsvRecord[];
  info(): DbInfo;
}

export interface ScanOptions {
  db?: AdvisorySource;
  online?: OsvApi;
  now?: () => Date;
  /** Warn when the local database was last imported longer ago than this. Default 7 days. */
  maxAgeMs?: number;
}

export const DEFAULT_MAX_AGE_MS = 7 * 86_400_000;

interface Hit {
  record: OsvRecord;
  entries: OsvAffected[];
  fixedIn?: string;
  lastAffected?: string;
}

/** Groups records whose IDs or aliases overlap (CVE ↔ GHSA), per package. */
function groupAliases(hits: Hit[]): Hit[][] {
  const parent = hits.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const owner = new Map<string, number>();
  hits.forEach((h, i) => {
    for (const id of [h.record.id, ...(h.record.aliases ?? [])]) {
      const j = owner.get(id);
      if (j === undefined) owner.set(id, i);
      else parent[find(i)] = find(j);
    }
  });
  const groups = new Map<number, Hit[]>();
  hits.forEach((h, i) => {
    const r = find(i);
    const g = groups.get(r);
    if (g) g.push(h);
    else groups.set(r, [h]);
  });
  return [...groups.values()];
}

function maxVersion(a: string | undefined, b: string | undefined, pkg: Package): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  const order = orderFor('ECOSYSTEM', pkg.ecosystem) ?? orderFor('SEMVER', pkg.ecosystem)!;
  try {
    return order.compare(a, b) >= 0 ? a : b;
  } catch {
    return a;
  }
}

function worst(a: SeverityScore, b: SeverityScore): SeverityScore {
  const ra = severityRank(a.level);
  const rb = severityRank(b.level);
  if (ra !== rb) return ra > rb ? a : b;
  return (b.score ?? -1) > (a.score ?? -1) ? b : a;
}

function findingOf(pkg: Package, group: Hit[]): Finding {
  const ids = [...new Set(group.map((h) => h.record.id))].sort();
  const aliases = [...new Set(group.flatMap((h) => h.record.aliases ?? []))].filter((a) => !ids.includes(a)).sort();
  const cve = [...ids, ...aliases].filter((x) => x.startsWith('CVE-')).sort()[0];
  let severity: SeverityScore = { level: 'unknown', method: 'none' };
  let fixedIn: string | undefined;
  let lastAffected: string | undefined;
  for (const h of group) {
    severity = worst(severity, severityOf(h.record, h.entries));
    // Aliases describing one flaw should agree; when they do not, the later fix is the safe one.
    fixedIn = maxVersion(fixedIn, h.fixedIn, pkg);
    lastAffected = maxVersion(lastAffected, h.lastAffected, pkg);
  }
  const first = [...group].sort((a, b) => a.record.id.localeCompare(b.record.id))[0]!.record;
  const f: Finding = {
    id: cve ?? ids[0]!,
    advisories: ids,
    aliases,
    summary: group.map((h) => h.record.summary).find((s) => s && s.trim()) ?? first.details?.split('\n')[0]?.slice(0, 200) ?? '',
    package: pkg,
    severity,
    references: [...new Set(group.flatMap((h) => (h.record.references ?? []).filter((r) => r.type === 'ADVISORY' || r.type === 'WEB').map((r) => r.url)))].slice(0, 5),
  };
  if (fixedIn !== undefined && group.every((h) => h.fixedIn !== undefined)) f.fixedIn = fixedIn;
  else if (lastAffected !== undefined) f.lastAffected = lastAffected;
  const published = group.map((h) => h.record.published).filter((x): x is string => !!x).sort()[0];
  const modified = group.map((h) => h.record.modified).sort().at(-1);
  if (published) f.published = published;
  if (modified) f.modified = modified;
  return f;
}

/**
 * The smallest version that clears the fixable findings, checked against every advisory for the
 * package — so the suggestion does not walk into a range that starts above the installed version.
 */
function fixFor(pkg: Package, records: OsvRecord[], findings: Finding[]): FixSuggestion {
  const fixable = findings.filter((f) => f.fixedIn !== undefined);
  const s: FixSuggestion = {
    ecosystem: pkg.ecosystem,
    name: pkg.name,
    installed: pkg.version,
    fixes: fixable.map((f) => f.id),
    unfixed: findings.filter((f) => f.fixedIn === undefined).map((f) => f.id),
  };
  if (pkg.sourcePackage && (pkg.sourcePackage.name !== pkg.name || pkg.sourcePackage.version !== pkg.version)) s.sourcePackage = pkg.sourcePackage;
  let candidate = fixable.reduce<string | undefined>((m, f) => maxVersion(m, f.fixedIn, pkg), undefined);
  const unfixedIds = new Set(findings.filter((f) => f.fixedIn === undefined).flatMap((f) => f.advisories));
  for (let round = 0; candidate !== undefined && round < 10; round++) {
    const at: Package = { ...pkg, version: candidate, ...(pkg.sourcePackage ? { sourcePackage: { ...pkg.sourcePackage, version: candidate } } : {}) };
    let bumped = false;
    for (const r of records) {
      if (unfixedIds.has(r.id)) continue; // reported as unfixed already
      const m = matchRecord(at, r);
      if (m.status !== 'affected') continue;
      if (m.fixedIn === undefined) {
        candidate = undefined;
        break;
      }
      const next = maxVersion(candidate, m.fixedIn, pkg);
      if (next !== candidate) {
        candidate = next;
        bumped = true;
      }
    }
    if (!bumped) break;
  }
  if (candidate !== undefined && s.fixes.length > 0) s.upgradeTo = candidate;
  return s;
}

async function onlineRecords(api: OsvApi, packages: Package[], warnings: string[]): Promise<Map<string, OsvRecord[]> | undefined> {
  try {
    const recs = await api.query(packages);
    const byName = new Map<string, OsvRecord[]>();
    for (const r of recs) {
      for (const a of r.affected ?? []) {
        if (!a.package) continue;
        const k = `${ecosystemFamily(a.package.ecosystem)}\0${packageKey(a.package.ecosystem, a.package.name)}`;
        const l = byName.get(k) ?? [];
        if (!l.includes(r)) l.push(r);
        byName.set(k, l);
      }
    }
    return byName;
  } catch (e) {
    if (!(e instanceof OnlineUnavailable)) throw e;
    warnings.push(`OSV API unreachable (${e.message}); results use the local database only`);
    return undefined;
  }
}

export async function scan(inv: Inventory, opts: ScanOptions): Promise<ScanResult> {
  const now = (opts.now ?? (() => new Date()))();
  const warnings = [...inv.warnings];
  if (!opts.db && !opts.online) throw new ConfigError('no vulnerability database: run `esq vulndb import <dir|zip>` first, or pass --online');
  const status = opts.db?.info();
  if (status && status.records === 0 && !opts.online) throw new ConfigError(`the vulnerability database ${status.path} is empty: run \`esq vulndb import <dir|zip>\``);

  const database: DatabaseInfo = { location: status?.path ?? 'OSV API', records: status?.records ?? 0, stale: false };
  if (status?.importedAt) {
    database.importedAt = status.importedAt;
    database.ageMs = Math.max(0, now.getTime() - Date.parse(status.importedAt));
    const max = opts.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
    if (database.ageMs > max) {
      database.stale = true;
      warnings.push(`the vulnerability database is ${Math.floor(database.ageMs / 86_400_000)} day(s) old (imported ${status.importedAt}); refresh it with \`esq vulndb import\``);
    }
  }
  let online: Map<string, OsvRecord[]> | undefined;
  if (opts.online) {
    online = await onlineRecords(opts.online, inv.packages, warnings);
    database.online = online ? 'used' : 'unreachable';
    if (!online && !opts.db) throw new ConfigError('the OSV API is unreachable and there is no local database: run `esq vulndb import <dir|zip>` to scan offline');
  } else database.online = 'off';

  const findings: Finding[] = [];
  const fixes: FixSuggestion[] = [];
  const unevaluated: ScanResult['unevaluated'] = [];
  for (const pkg of inv.packages) {
    const id = osvIdentity(pkg);
    const recs = new Map<string, OsvRecord>();
    for (const r of opts.db?.recordsFor(pkg.ecosystem, id.name) ?? []) recs.set(r.id, r);
    for (const r of online?.get(`${ecosystemFamily(pkg.ecosystem)}\0${packageKey(pkg.ecosystem, id.name)}`) ?? []) {
      const have = recs.get(r.id);
      if (!have || Date.parse(r.modified) > Date.parse(have.modified)) recs.set(r.id, r);
    }
    const hits: Hit[] = [];
    let unknown: string | undefined;
    for (const r of recs.values()) {
      const m = matchRecord(pkg, r);
      if (m.status === 'affected') {
        const h: Hit = { record: r, entries: m.entries };
        if (m.fixedIn !== undefined) h.fixedIn = m.fixedIn;
        if (m.lastAffected !== undefined) h.lastAffected = m.lastAffected;
        hits.push(h);
      } else if (m.status === 'unknown') unknown = `${r.id}: ${m.reason}`;
    }
    if (unknown && hits.length === 0) unevaluated.push({ package: pkg, reason: unknown });
    if (hits.length === 0) continue;
    const mine = groupAliases(hits).map((g) => findingOf(pkg, g));
    findings.push(...mine);
    fixes.push(fixFor(pkg, [...recs.values()], mine));
  }
  findings.sort(
    (a, b) =>
      severityRank(b.severity.level) - severityRank(a.severity.level) ||
      (b.severity.score ?? 0) - (a.severity.score ?? 0) ||
      a.package.name.localeCompare(b.package.name) ||
      a.id.localeCompare(b.id),
  );
  const result: ScanResult = { target: inv.target, kind: inv.kind, scannedAt: now.toISOString(), packages: inv.packages.length, findings, fixes, unevaluated, warnings, database };
  if (inv.imageDigest) result.imageDigest = inv.imageDigest;
  return result;
}

const THRESHOLDS: Record<string, Severity> = { low: 'low', medium: 'medium', moderate: 'medium', high: 'high', critical: 'critical' };

export function parseSeverityThreshold(s: string, flag = '--fail-on'): Severity {
  const t = THRESHOLDS[s.trim().toLowerCase()];
  if (!t) throw new InvalidInputError(`${flag} "${s}" is not a severity; use low, medium, high or critical`);
  return t;
}

/** Findings at or above the threshold. Unknown severity counts as reaching it: a gate fails closed. */
export function findingsAtOrAbove(findings: Finding[], threshold: Severity): Finding[] {
  return findings.filter((f) => f.severity.level === 'unknown' || severityRank(f.severity.level) >= severityRank(threshold));
}
