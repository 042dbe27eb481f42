/**
 * The scanner's domain: what a service is made of (packages), what is known to be wrong with it
 * (findings), and the result of one scan. OSV types live in osv/types.ts.
 */

/** How a package came to be in the service. `unknown` when the input carries no dependency graph. */
export type Relation = 'direct' | 'transitive' | 'unknown';

export interface Package {
  /** OSV ecosystem, with the release where it matters: `npm`, `Debian:12`. */
  ecosystem: string;
  name: string;
  version: string;
  /** Names from a direct dependency down to this package, inclusive: `['express', 'body-parser']`. */
  path: string[];
  relation: Relation;
  /** The file (or image path) the package was read from. */
  source: string;
  /** Only needed for development (npm `dev`); still scanned. */
  dev?: boolean;
  /** Distribution packages are matched by their source package (OSV: Debian `name` is the source package). */
  sourcePackage?: { name: string; version: string };
  purl?: string;
}

/** What a scan read: packages plus where they came from. */
export interface Inventory {
  /** What was scanned, as the user named it. */
  target: string;
  /** `lockfile`, `sbom`, `rootfs`, `image`, `node_modules`, … */
  kind: string;
  /** Image digest when the target is a container image (`sha256:…`). */
  imageDigest?: string;
  packages: Package[];
  /** Files read, for watch mode (rescan when one changes). */
  files: string[];
  /** Things that were read but could not be fully understood; never silently dropped. */
  warnings: string[];
}

/** CVSS qualitative levels, plus `unknown` when neither a vector nor a label says. */
export type Severity = 'none' | 'low' | 'medium' | 'high' | 'critical' | 'unknown';

export interface SeverityScore {
  level: Severity;
  /** 0–10 when computed from a CVSS vector. */
  score?: number;
  /** `CVSS_V3`, `CVSS_V4`, `database` (the record's own label), … */
  method: string;
  vector?: string;
}

/** One vulnerability in one installed package, advisories that are aliases of each other merged. */
export interface Finding {
  /** The ID people recognise: a CVE alias when there is one, else the advisory ID. */
  id: string;
  /** Every advisory ID merged into this finding (sorted), and their aliases. */
  advisories: string[];
  aliases: string[];
  summary: string;
  package: Package;
  severity: SeverityScore;
  /** Lowest fixed version above the installed one, when the advisory names one. */
  fixedIn?: string;
  /** `last_affected` bound when the advisory gives no fix: upgrading past it may help. */
  lastAffected?: string;
  references: string[];
  published?: string;
  modified?: string;
}

/** The smallest upgrade that clears every finding on one package. */
export interface FixSuggestion {
  ecosystem: string;
  name: string;
  installed: string;
  /** Distribution packages: versions below are the source package's (what advisories name). */
  sourcePackage?: { name: string; version: string };
  /** Undefined when at least one advisory has no fixed version. */
  upgradeTo?: string;
  fixes: string[];
  unfixed: string[];
}

export interface DatabaseInfo {
  location: string;
  importedAt?: string;
  records: number;
  ageMs?: number;
  stale: boolean;
  online?: 'used' | 'unreachable' | 'off';
}

export interface ScanResult {
  target: string;
  kind: string;
  imageDigest?: string;
  scannedAt: string;
  packages: number;
  findings: Finding[];
  fixes: FixSuggestion[];
  /** Packages whose versions could not be compared (unknown ecosystem ordering, odd version). */
  unevaluated: Array<{ package: Package; reason: string }>;
  warnings: string[];
  database: DatabaseInfo;
}

const RANK: Record<Severity, number> = { none: 0, unknown: 1, low: 2, medium: 3, high: 4, critical: 5 };

/** Orders severities for sorting and thresholds. */
export function severityRank(s: Severity): number {
  return RANK[s];
}

/** `Critical`, `High`, … for people. */
export function severityLabel(s: Severity): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** A scan is CLEAN only when it found nothing and evaluated every package it read. */
export function isClean(r: Pick<ScanResult, 'findings' | 'unevaluated'>): boolean {
  return r.findings.length === 0 && r.unevaluated.length === 0;
}
