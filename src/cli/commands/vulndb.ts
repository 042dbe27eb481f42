import type { Command } from 'commander';
import pc from 'picocolors';
import { settingsFromEnv } from '../../config.js';
import { formatDuration } from '../../envelope/config/duration.js';
import { VulnDb, defaultDbPath } from '../../vuln/osv/db.js';
import { importOsv } from '../../vuln/osv/import.js';
import { DEFAULT_MAX_AGE_MS } from '../../vuln/scan.js';
import { printJson } from '../io.js';
import { durationFlag } from './scan.js';

export function registerVulndb(program: Command): void {
  const cmd = program.command('vulndb').description('Manage the local vulnerability database (OSV records under ESQ_HOME)');
  cmd
    .command('import')
    .description('Import OSV records from a folder or zip laid out like the public OSV exports')
    .argument('<source>', 'a folder of OSV JSON files (one per advisory, any depth), or a zip such as npm/all.zip')
    .option('--replace', 'drop every record first (default: add, keeping the newest revision of each)')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
Every record is checked before anything is stored; a malformed one aborts the import with its
file and line, and the database stays as it was. The import time is recorded: scans warn when
the database is older than --max-age (default 7d).

Examples:
  esq vulndb import ./osv-exports/npm
  esq vulndb import ~/Downloads/Debian-all.zip`,
    )
    .action(async (source: string, o: { replace?: boolean; json?: boolean }) => {
      const s = settingsFromEnv();
      const db = VulnDb.open(defaultDbPath(s.home));
      try {
        const r = await importOsv(db, source, { replace: o.replace === true });
        const st = db.status();
        if (o.json) printJson({ ...r, database: st });
        else {
          const ecos = Object.entries(r.ecosystems).map(([e, n]) => `${e} ${n}`).join(', ') || 'none';
          process.stdout.write(`${pc.green('✔')} imported ${r.files} records (${r.changed} new or updated, ${r.withdrawn} withdrawn) from ${r.source}\n`);
          process.stdout.write(`  ecosystems: ${ecos}\n  database: ${st.path} — ${st.records} records\n`);
        }
      } finally {
        db.close();
      }
    });
  cmd
    .command('status')
    .description('Show what the local database holds and how old it is')
    .option('--max-age <duration>', 'call the database stale past this age (default 7d, or ESQ_VULNDB_MAX_AGE)')
    .option('--json', 'print as JSON')
    .action((o: { maxAge?: string; json?: boolean }) => {
      const s = settingsFromEnv();
      const maxAge = durationFlag(o.maxAge ?? process.env.ESQ_VULNDB_MAX_AGE, '--max-age', DEFAULT_MAX_AGE_MS);
      const db = VulnDb.openExisting(defaultDbPath(s.home));
      if (!db) {
        if (o.json) printJson({ path: defaultDbPath(s.home), records: 0, imported: false });
        else process.stdout.write(`no vulnerability database at ${defaultDbPath(s.home)}: run \`esq vulndb import <dir|zip>\`\n`);
        return;
      }
      try {
        const st = db.status();
        const ageMs = st.importedAt ? Date.now() - Date.parse(st.importedAt) : undefined;
        const stale = ageMs === undefined || ageMs > maxAge;
        if (o.json) printJson({ ...st, ageMs, stale });
        else {
          process.stdout.write(`${st.path}\n  ${st.records} records (${st.withdrawn} withdrawn)\n`);
          process.stdout.write(`  ecosystems: ${Object.entries(st.ecosystems).map(([e, n]) => `${e} ${n}`).join(', ') || 'none'}\n`);
          const age = ageMs === undefined ? 'never' : `${st.importedAt} (${formatDuration(ageMs)} ago)`;
          process.stdout.write(`  imported: ${stale ? pc.yellow(`${age} — stale`) : age}\n`);
        }
      } finally {
        db.close();
      }
    });
}
