/** `esq vulndb import`: validates every record, then stores them in one transaction. */
import { resolve } from 'node:path';
import { parseJsonText } from '../inventory/errors.js';
import type { VulnDb } from './db.js';
import { osvFiles } from './source.js';
import { validateOsv, type OsvRecord } from './types.js';

export interface ImportResult {
  source: string;
  files: number;
  changed: number;
  withdrawn: number;
  ecosystems: Record<string, number>;
  importedAt: string;
}

/**
 * Imports a folder or zip of OSV records. A malformed record aborts the whole import with an
 * error naming the file and position; the database is left as it was.
 */
export async function importOsv(db: VulnDb, path: string, opts: { replace?: boolean; now?: () => Date } = {}): Promise<ImportResult> {
  const now = (opts.now ?? (() => new Date()))();
  const source = resolve(path);
  return db.transaction(async () => {
    if (opts.replace) db.clear();
    let files = 0;
    let changed = 0;
    let withdrawn = 0;
    const ecosystems: Record<string, number> = {};
    let batch: Array<{ record: OsvRecord; text: string }> = [];
    for await (const f of osvFiles(path)) {
      const rec = validateOsv(parseJsonText(f.text, f.name), f.name, f.text);
      files++;
      if (rec.withdrawn) withdrawn++;
      for (const eco of new Set((rec.affected ?? []).map((a) => a.package?.ecosystem.split(':')[0]).filter((x): x is string => !!x))) ecosystems[eco] = (ecosystems[eco] ?? 0) + 1;
      batch.push({ record: rec, text: f.text });
      if (batch.length >= 1000) {
        changed += db.upsert(batch);
        batch = [];
      }
    }
    changed += db.upsert(batch);
    const sources = new Set(JSON.parse(db.getMeta('sources') ?? '[]') as string[]);
    sources.add(source);
    db.setMeta('sources', JSON.stringify([...sources].sort()));
    db.setMeta('importedAt', now.toISOString());
    db.setMeta('records', String(db.countRecords()));
    return { source, files, changed, withdrawn, ecosystems, importedAt: now.toISOString() };
  });
}
