import type { Command } from 'commander';
import pc from 'picocolors';
import { settingsFromEnv } from '../../config.js';
import { defaultCheckpointFile, FileCheckpointPublisher } from '../../audit/chain/file-publisher.js';
import { loadOrCreateAuditKey } from '../../audit/chain/key-file.js';
import { InvalidInputError } from '../../errors.js';
import { AuditLog } from '../../server/audit-log.js';
import { EXIT } from '../exit-codes.js';
import { printJson } from '../io.js';
import { withStore } from './keys.js';
import { plural } from '../../util/plural.js';

export function registerStoreAdmin(program: Command): void {
  program
    .command('migrate')
    .description('Apply pending database migrations (esq serve also does this on start)')
    .option('--json', 'print as JSON')
    .action(async (o: { json?: boolean }) => {
      const r = await withStore((s) => s.migrate());
      if (o.json) printJson(r);
      else process.stdout.write(r.applied.length ? `${pc.green('✔')} applied ${r.applied.join(', ')}\n` : `${pc.green('✔')} up to date\n`);
    });

  const audit = program.command('audit').description('The tamper-evident audit log');
  audit
    .command('verify')
    .description('Verify the hash chain end to end against the last published checkpoint')
    .option('--checkpoints <file>', 'published checkpoint file (default: ESQ_HOME/audit/checkpoints.jsonl)')
    .option('--json', 'print as JSON')
    .addHelpText('after', '\nExit codes: 0 the chain verifies, 3 it does not (the first bad position is named), 2 bad usage.')
    .action(async (o: { checkpoints?: string; json?: boolean }) => {
      const s = settingsFromEnv();
      const r = await withStore(async (store) => {
        const log = new AuditLog(store, { key: loadOrCreateAuditKey({ home: s.home }), publisher: new FileCheckpointPublisher(o.checkpoints ?? defaultCheckpointFile(s.home)), checkpointIntervalMs: 1 << 30 });
        try {
          return await log.verify();
        } finally {
          await log.close();
        }
      });
      if (o.json) printJson(r);
      else if (r.ok) process.stdout.write(`${pc.green('✔')} audit chain verifies: ${plural(r.checked, 'record')}${r.checkpoint ? `, checkpoint at ${r.checkpoint.seq} (${r.checkpoint.source})` : ', no checkpoint yet'}\n`);
      else process.stdout.write(`${pc.red('✖')} audit chain broken at seq ${r.firstBadSeq ?? '?'}: ${r.reason}\n`);
      if (!r.ok) process.exitCode = EXIT.REFUSED;
    });
  audit
    .command('export')
    .description('Write audit records as JSON Lines')
    .option('--from-seq <n>', 'first record', '1')
    .option('--limit <n>', 'at most this many records (default: all)')
    .action(async (o: { fromSeq: string; limit?: string }) => {
      const from = Number(o.fromSeq);
      const limit = o.limit === undefined ? Infinity : Number(o.limit);
      if (!Number.isInteger(from) || from < 1 || !(limit > 0)) throw new InvalidInputError('--from-seq and --limit take positive whole numbers');
      await withStore(async (store) => {
        let next = from;
        let left = limit;
        while (left > 0) {
          const page = await store.readAudit({ fromSeq: next, limit: Math.min(5000, left) });
          for (const r of page) process.stdout.write(`${JSON.stringify(r)}\n`);
          if (page.length === 0) break;
          next = page[page.length - 1]!.seq + 1;
          left -= page.length;
        }
      });
    });
}
