import type { Command } from 'commander';
import pc from 'picocolors';
import { settingsFromEnv } from '../../config.js';
import { InvalidInputError } from '../../errors.js';
import { generateApiKey, parseRoles } from '../../server/auth/api-keys.js';
import { openStore } from '../../store/open.js';
import type { Store } from '../../store/port.js';
import { printJson } from '../io.js';

async function withStore<T>(f: (s: Store) => Promise<T>): Promise<T> {
  const s = settingsFromEnv();
  const store = await openStore({ home: s.home, ...(process.env.ESQ_DATABASE_URL ? { databaseUrl: process.env.ESQ_DATABASE_URL } : {}) });
  try {
    return await f(store);
  } finally {
    await store.close();
  }
}

export { withStore };

export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('Manage API keys (stored as hashes only)');
  keys
    .command('create')
    .description('Create an API key; it is printed once')
    .requiredOption('--roles <list>', 'comma-separated: decide, read, approve, admin')
    .option('--tenant <id>', 'restrict the key to one tenant')
    .option('--label <text>', 'a note to recognise the key by', '')
    .option('--json', 'print as JSON')
    .action(async (o: { roles: string; tenant?: string; label: string; json?: boolean }) => {
      let roles;
      try {
        roles = parseRoles(o.roles);
      } catch (e) {
        throw new InvalidInputError(`--roles: ${(e as Error).message}`);
      }
      const k = generateApiKey();
      await withStore((s) => s.putApiKey({ id: k.id, hash: k.hash, roles, tenant: o.tenant ?? null, label: o.label, createdAt: new Date() }));
      if (o.json) printJson({ id: k.id, key: k.key, roles, tenant: o.tenant ?? null, label: o.label });
      else process.stdout.write(`${pc.green('✔')} key ${k.id} (${roles.join(', ')}${o.tenant ? `, tenant ${o.tenant}` : ''})\n  ${k.key}\n${pc.dim('  shown once: only its hash is stored')}\n`);
    });
  keys
    .command('list')
    .description('List API keys (never the keys themselves)')
    .option('--json', 'print as JSON')
    .action(async (o: { json?: boolean }) => {
      const list = await withStore((s) => s.listApiKeys());
      const rows = list.map(({ hash: _h, ...k }) => k);
      if (o.json) printJson(rows);
      else for (const k of rows) process.stdout.write(`${k.id}  ${k.roles.join(',').padEnd(20)} ${(k.tenant ?? '*').padEnd(12)} ${k.revokedAt ? pc.red('revoked') : pc.green('active ')}  ${k.label}\n`);
    });
  keys
    .command('revoke')
    .description('Revoke an API key by id (takes effect on every replica within 5 s)')
    .argument('<id>')
    .action(async (id: string) => {
      const ok = await withStore((s) => s.revokeApiKey(id, new Date()));
      if (!ok) throw new InvalidInputError(`no active key with id ${id} (see esq keys list)`);
      process.stdout.write(`${pc.green('✔')} revoked ${id}\n`);
    });
}
