/**
 * The OSV schema (https://ossf.github.io/osv-schema/) — ESQ's one internal format for
 * vulnerability data — and a check that a record has the shape the matcher relies on.
 */
import { inputError, isRecord, lineOf } from '../inventory/errors.js';

export interface OsvEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
  limit?: string;
}

export interface OsvRange {
  type: 'SEMVER' | 'ECOSYSTEM' | 'GIT' | string;
  repo?: string;
  events: OsvEvent[];
}

export interface OsvSeverity {
  type: string;
  score: string;
}

export interface OsvAffected {
  package?: { ecosystem: string; name: string; purl?: string };
  severity?: OsvSeverity[];
  ranges?: OsvRange[];
  versions?: string[];
  ecosystem_specific?: Record<string, unknown>;
  database_specific?: Record<string, unknown>;
}

export interface OsvRecord {
  schema_version?: string;
  id: string;
  modified: string;
  published?: string;
  withdrawn?: string;
  aliases?: string[];
  related?: string[];
  upstream?: string[];
  summary?: string;
  details?: string;
  severity?: OsvSeverity[];
  affected?: OsvAffected[];
  references?: Array<{ type: string; url: string }>;
  database_specific?: Record<string, unknown>;
}

const EVENT_KEYS = new Set(['introduced', 'fixed', 'last_affected', 'limit']);

/**
 * Checks the parts of a record the matcher reads. `text` (the file's JSON) lets errors name a line.
 */
export function validateOsv(doc: unknown, file: string, text = ''): OsvRecord {
  const fail = (msg: string, needle?: string): never => {
    throw inputError(file, `not an OSV record: ${msg}`, needle ? lineOf(text, needle) : { line: 1 });
  };
  if (!isRecord(doc)) return fail('expected a JSON object');
  if (typeof doc.id !== 'string' || doc.id === '') return fail('"id" must be a non-empty string', '"id"');
  if (typeof doc.modified !== 'string') return fail('"modified" must be a timestamp string', '"modified"');
  for (const k of ['aliases', 'related', 'upstream'] as const) {
    const v = doc[k];
    if (v !== undefined && (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))) fail(`"${k}" must be an array of strings`, `"${k}"`);
  }
  if (doc.withdrawn !== undefined && typeof doc.withdrawn !== 'string') fail('"withdrawn" must be a timestamp string', '"withdrawn"');
  if (doc.affected !== undefined && !Array.isArray(doc.affected)) fail('"affected" must be an array', '"affected"');
  ((doc.affected as unknown[] | undefined) ?? []).forEach((a, i) => {
    if (!isRecord(a)) return fail(`affected[${i}] must be an object`, '"affected"');
    if (a.package !== undefined && (!isRecord(a.package) || typeof a.package.ecosystem !== 'string' || typeof a.package.name !== 'string')) {
      fail(`affected[${i}].package needs "ecosystem" and "name" strings`, '"package"');
    }
    if (a.versions !== undefined && (!Array.isArray(a.versions) || a.versions.some((x) => typeof x !== 'string'))) fail(`affected[${i}].versions must be an array of strings`, '"versions"');
    if (a.ranges !== undefined && !Array.isArray(a.ranges)) fail(`affected[${i}].ranges must be an array`, '"ranges"');
    ((a.ranges as unknown[] | undefined) ?? []).forEach((r, j) => {
      if (!isRecord(r) || typeof r.type !== 'string' || !Array.isArray(r.events)) return fail(`affected[${i}].ranges[${j}] needs "type" and "events"`, '"ranges"');
      r.events.forEach((e, k) => {
        const keys = isRecord(e) ? Object.keys(e) : [];
        if (keys.length !== 1 || !EVENT_KEYS.has(keys[0]!) || typeof (e as Record<string, unknown>)[keys[0]!] !== 'string') {
          fail(`affected[${i}].ranges[${j}].events[${k}] must hold exactly one of introduced, fixed, last_affected, limit`, '"events"');
        }
      });
    });
  });
  return doc as unknown as OsvRecord;
}
