/**
 * The local vulnerability database: OSV records in one SQLite file under ESQ_HOME
 * (`scanner/osv.db`), indexed by ecosystem family and package name, with the time of the last
 * import recorded so scans can warn when the data is old.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigError } from '../../errors.js';
import { packageKey } from './match.js';
import type { OsvRecord } from './types.js';
import { ecosystemFamily } from './versions/index.js';

export function defaultDbPath(home: string): string {
  return join(home, 'scanner', 'osv.db');
}

/** What a scan needs to know about the database: cheap, read from the meta table. */
export interface DbInfo {
  path: string;
  records: number;
  importedAt?: string;
}

export interface DbStatus extends DbInfo {
  withdrawn: number;
  sources: string[];
  ecosystems: Record<string, number>;
}

/**
 * The part of a record matching and reporting read. Scans parse thousands of records, and the
 * prose (`details`), credits and long reference lists are most of their bytes; the full record
 * stays in the database unchanged.
 */
export function matchView(r: OsvRecord): OsvRecord {
  const v: OsvRecord = { id: r.id, modified: r.modified };
  if (r.published) v.published = r.published;
  if (r.withdrawn) v.withdrawn = r.withdrawn;
  if (r.aliases?.length) v.aliases = r.aliases;
  if (r.summary) v.summary = r.summary;
  else if (r.details) v.summary = r.details.split('\n')[0]!.slice(0, 200);
  if (r.severity?.length) v.severity = r.severity;
  const refs = [...(r.references ?? []).filter((x) => x.type === 'ADVISORY'), ...(r.references ?? []).filter((x) => x.type === 'WEB')].slice(0, 3);
  if (refs.length) v.references = refs;
  const label = r.database_specific?.severity;
  if (label !== undefined) v.database_specific = { severity: label };
  v.affected = (r.affected ?? []).map((a) => {
    const out: NonNullable<OsvRecord['affected']>[number] = {};
    if (a.package) out.package = a.package;
    if (a.severity) out.severity = a.severity;
    if (a.ranges) out.ranges = a.ranges;
    if (a.versions) out.versions = a.versions;
    const es = a.ecosystem_specific;
    if (es && (es.severity !== undefined || es.urgency !== undefined)) out.ecosystem_specific = { ...(es.severity !== undefined ? { severity: es.severity } : {}), ...(es.urgency !== undefined ? { urgency: es.urgency } : {}) };
    const ds = a.database_specific?.severity;
    if (ds !== undefined) out.database_specific = { severity: ds };
    return out;
  });
  return v;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
-- match (the small view scans read) sits before json (the full record): SQLite reads a row's
-- columns in order, so a column after a large one costs a walk through its overflow pages.
CREATE TABLE IF NOT EXISTS advisories (
  id TEXT PRIMARY KEY,
  modified TEXT NOT NULL,
  withdrawn INTEGER NOT NULL,
  match TEXT NOT NULL,
  json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS affected (
  family TEXT NOT NULL,
  name TEXT NOT NULL,
  id TEXT NOT NULL,
  PRIMARY KEY (family, name, id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS affected_by_id ON affected(id);
`;

export class VulnDb {
  readonly path: string;
  private readonly db: Database.Database;
  private readonly byPackage: Database.Statement<[string, string], { id: string; json: string }>;
  private readonly cache = new Map<string, OsvRecord>();

  private constructor(path: string, readonly: boolean) {
    this.path = path;
    if (!readonly) mkdirSync(dirname(path), { recursive: true });
    try {
      this.db = new Database(path, { readonly, fileMustExist: readonly });
      // A rollback journal, not WAL: scans open the file read-only while an import may be writing.
      this.db.pragma('busy_timeout = 5000');
      // Scans touch rows all over the file; mapping it saves a read() per page.
      this.db.pragma('mmap_size = 268435456');
      if (!readonly) this.db.exec(SCHEMA);
      this.byPackage = this.prepareLookup();
    } catch (e) {
      throw new ConfigError(`cannot open the vulnerability database ${path} (${(e as Error).message}); remove it and run \`esq vulndb import\` again`);
    }
  }

  private prepareLookup(): Database.Statement<[string, string], { id: string; json: string }> {
    return this.db.prepare('SELECT a.id, a.match AS json FROM affected f JOIN advisories a ON a.id = f.id WHERE f.family = ? AND f.name = ? AND a.withdrawn = 0');
  }

  /** Opens (creating if needed) for import. */
  static open(path: string): VulnDb {
    return new VulnDb(path, false);
  }

  /** Opens an existing database for scanning, or undefined when none was imported yet. */
  static openExisting(path: string): VulnDb | undefined {
    return existsSync(path) ? new VulnDb(path, true) : undefined;
  }

  close(): void {
    this.db.close();
  }

  /** The record as imported, unchanged. */
  record(id: string): OsvRecord | undefined {
    const row = this.db.prepare<[string], { json: string }>('SELECT json FROM advisories WHERE id = ?').get(id);
    return row ? (JSON.parse(row.json) as OsvRecord) : undefined;
  }

  /** Records that mention the package (any release of its ecosystem), as `matchView`s; the matcher decides. */
  recordsFor(ecosystem: string, name: string): OsvRecord[] {
    const rows = this.byPackage.all(ecosystemFamily(ecosystem), packageKey(ecosystem, name));
    return rows.map((r) => {
      let rec = this.cache.get(r.id);
      if (!rec) {
        rec = JSON.parse(r.json) as OsvRecord;
        this.cache.set(r.id, rec);
      }
      return rec;
    });
  }

  /**
   * Adds or replaces records (with their original text, kept as imported); an older revision
   * never replaces a newer one. Returns how many changed.
   */
  upsert(records: Iterable<OsvRecord | { record: OsvRecord; text: string }>): number {
    const current = this.db.prepare<[string], { modified: string }>('SELECT modified FROM advisories WHERE id = ?');
    const put = this.db.prepare('INSERT OR REPLACE INTO advisories (id, modified, withdrawn, match, json) VALUES (?, ?, ?, ?, ?)');
    const clear = this.db.prepare('DELETE FROM affected WHERE id = ?');
    const link = this.db.prepare('INSERT OR IGNORE INTO affected (family, name, id) VALUES (?, ?, ?)');
    let changed = 0;
    for (const item of records) {
      const r = 'record' in item ? item.record : item;
      const old = current.get(r.id);
      if (old && Date.parse(old.modified) > Date.parse(r.modified)) continue;
      put.run(r.id, r.modified, r.withdrawn ? 1 : 0, JSON.stringify(matchView(r)), 'text' in item ? item.text : JSON.stringify(r));
      clear.run(r.id);
      if (!r.withdrawn) {
        for (const a of r.affected ?? []) if (a.package) link.run(ecosystemFamily(a.package.ecosystem), packageKey(a.package.ecosystem, a.package.name), r.id);
      }
      this.cache.delete(r.id);
      changed++;
    }
    return changed;
  }

  /** Runs `fn` in one transaction: an import is all or nothing. */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const out = await fn();
      this.db.exec('COMMIT');
      return out;
    } catch (e) {
      this.db.exec('ROLLBACK');
      throw e;
    }
  }

  clear(): void {
    this.db.exec('DELETE FROM affected; DELETE FROM advisories;');
  }

  setMeta(key: string, value: string): void {
    this.db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(key, value);
  }

  getMeta(key: string): string | undefined {
    return this.db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(key)?.value;
  }

  /** Record count and import time, from the meta table (kept current by imports). */
  info(): DbInfo {
    const i: DbInfo = { path: this.path, records: Number(this.getMeta('records') ?? this.countRecords()) };
    const at = this.getMeta('importedAt');
    if (at) i.importedAt = at;
    return i;
  }

  countRecords(): number {
    return this.db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM advisories').get()!.n;
  }

  status(): DbStatus {
    const count = this.db.prepare<[], { n: number; w: number }>('SELECT COUNT(*) AS n, COALESCE(SUM(withdrawn), 0) AS w FROM advisories').get()!;
    const eco = this.db.prepare<[], { family: string; n: number }>('SELECT family, COUNT(DISTINCT id) AS n FROM affected GROUP BY family ORDER BY family').all();
    const s: DbStatus = {
      path: this.path,
      records: count.n,
      withdrawn: count.w,
      sources: JSON.parse(this.getMeta('sources') ?? '[]') as string[],
      ecosystems: Object.fromEntries(eco.map((e) => [e.family, e.n])),
    };
    const at = this.getMeta('importedAt');
    if (at) s.importedAt = at;
    return s;
  }
}
