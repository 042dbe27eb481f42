import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import pc from 'picocolors';
import { settingsFromEnv } from '../../config.js';
import { InvalidInputError } from '../../errors.js';
import { defaultVaultAuditPath, jsonlVaultAudit } from '../../envelope/vault/audit.js';
import { DEFAULT_CLASSIFICATION, Vault } from '../../envelope/vault/vault.js';
import { printJson } from '../io.js';

async function withVault<T>(f: (v: Vault) => Promise<T>): Promise<T> {
  const s = settingsFromEnv();
  const vault = new Vault({ home: s.home, onAudit: jsonlVaultAudit(defaultVaultAuditPath(s.home)) });
  try {
    return await f(vault);
  } finally {
    vault.close();
  }
}

/** Reads a secret as bytes (never through a string) from a file or piped stdin. */
async function readSecret(file: string, keepNewline: boolean): Promise<Buffer> {
  let buf: Buffer;
  if (file === '-') {
    if (process.stdin.isTTY) throw new InvalidInputError('pipe the value on stdin or name a file; a secret never goes on the command line (see --help)');
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    buf = Buffer.concat(chunks);
    chunks.forEach((c) => c.fill(0));
  } else {
    try {
      buf = readFileSync(file);
    } catch (e) {
      throw new InvalidInputError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  // `echo value | esq vault put …` adds a newline nobody meant to store.
  if (!keepNewline) {
    let end = buf.length;
    if (buf[end - 1] === 0x0a) end--;
    if (buf[end - 1] === 0x0d) end--;
    if (end < buf.length) {
      const trimmed = Buffer.from(buf.subarray(0, end));
      buf.fill(0);
      buf = trimmed;
    }
  }
  if (buf.length === 0) throw new InvalidInputError('the secret is empty');
  return buf;
}

function parseVersion(v: string): number {
  if (!/^[1-9][0-9]{0,8}$/.test(v)) throw new InvalidInputError(`--version must be a positive integer, not ${JSON.stringify(v)}`);
  return Number(v);
}

export function registerVault(program: Command): void {
  const vault = program
    .command('vault')
    .description('Secrets vault: values encrypted at rest, read by wrapped services with a lease')
    .addHelpText(
      'after',
      `
State: <ESQ_HOME>/vault/vault.db (sealed values only), keys in <ESQ_HOME>/keys/ (keyring.json, and
master.key unless ESQ_MASTER_KEY is set), audit lines in <ESQ_HOME>/vault/audit.jsonl.

Examples:
  printf %s "$TOKEN" | esq vault put banking/apiToken
  esq vault grant lunch-subsidy-svc --paths 'banking/*'
  esq vault rotate esq:kms:secrets --retire`,
    );

  vault
    .command('put')
    .description('Store (or replace) a secret; the value comes from a file or stdin, never from arguments')
    .argument('<path>', 'secret path, e.g. banking/apiToken')
    .argument('[file]', 'file holding the value, or - for stdin', '-')
    .option('-c, --classification <class>', 'key class that protects it', DEFAULT_CLASSIFICATION)
    .option('--keep-newline', 'store a trailing newline instead of dropping it')
    .option('--json', 'print the result as JSON')
    .action(async (path: string, file: string, o: { classification: string; keepNewline?: boolean; json?: boolean }) => {
      const value = await readSecret(file, o.keepNewline === true);
      try {
        const info = await withVault((v) => v.put(path, value, { classification: o.classification }));
        if (o.json) printJson(info);
        else process.stdout.write(`${pc.green('✔')} stored ${info.path} v${info.version} (${info.classification}, key v${info.kekVersion})\n`);
      } finally {
        value.fill(0);
      }
    });

  vault
    .command('get')
    .description('Print a secret (an audited operator read)')
    .argument('<path>')
    .option('--json', 'print {path, version, value} as JSON (the value as UTF-8 text)')
    .action(async (path: string, o: { json?: boolean }) => {
      const { value, version } = await withVault((v) => v.adminRead(path));
      if (o.json) {
        printJson({ path, version, value: value.toString('utf8') });
        value.fill(0);
        return;
      }
      await new Promise<void>((resolve, reject) => process.stdout.write(value, (e) => (e ? reject(e) : resolve())));
      value.fill(0);
      if (process.stdout.isTTY) process.stdout.write('\n');
    });

  vault
    .command('list')
    .description('List secrets (never values), or services, or leases')
    .option('--services', 'list services and their grants')
    .option('--leases', 'list active leases')
    .option('--json', 'print as JSON')
    .action(async (o: { services?: boolean; leases?: boolean; json?: boolean }) => {
      await withVault(async (v) => {
        if (o.services) {
          const rows = v.services();
          if (o.json) return printJson(rows);
          for (const r of rows) process.stdout.write(`${r.id.padEnd(24)} ${r.revokedAt ? pc.red('revoked') : pc.green('active ')}  ${r.paths.join(', ')}\n`);
        } else if (o.leases) {
          const rows = v.leases({ activeOnly: true });
          if (o.json) return printJson(rows);
          for (const r of rows) process.stdout.write(`${r.id}  ${r.service.padEnd(20)} ${r.path.padEnd(28)} expires ${r.expiresAt}\n`);
        } else {
          const rows = v.list();
          if (o.json) return printJson(rows);
          for (const r of rows) process.stdout.write(`${r.path.padEnd(32)} v${String(r.version).padEnd(4)} ${r.classification} (key v${r.kekVersion})  ${pc.dim(r.updatedAt)}\n`);
        }
      });
    });

  vault
    .command('grant')
    .description("Grant a service read access to path patterns and issue its token (printed once; replaces the previous token)")
    .argument('<service>', 'service id, e.g. lunch-subsidy-svc')
    .requiredOption('--paths <list>', 'comma-separated patterns: * within a segment, ** across, e.g. banking/*')
    .option('--json', 'print as JSON')
    .action(async (service: string, o: { paths: string; json?: boolean }) => {
      const paths = o.paths.split(',').map((p) => p.trim()).filter(Boolean);
      const g = await withVault(async (v) => v.grant(service, paths));
      if (o.json) printJson(g);
      else process.stdout.write(`${pc.green('✔')} ${g.service} may read ${g.paths.join(', ')}\n  ${g.token}\n${pc.dim('  shown once: give it to the service as ESQ_VAULT_TOKEN')}\n`);
    });

  vault
    .command('revoke')
    .description('Revoke one lease, or a service (its token, sidecar sessions and leases; sticks until the next grant)')
    .option('--lease <id>', 'lease id (see esq vault list --leases)')
    .option('--service <id>', 'service id')
    .option('--json', 'print as JSON')
    .action(async (o: { lease?: string; service?: string; json?: boolean }) => {
      if ((o.lease === undefined) === (o.service === undefined)) throw new InvalidInputError('give exactly one of --lease <id> or --service <id>');
      await withVault(async (v) => {
        if (o.lease !== undefined) {
          if (!v.revokeLease(o.lease)) throw new InvalidInputError(`no active lease ${o.lease} (see esq vault list --leases)`);
          if (o.json) printJson({ lease: o.lease, revoked: true });
          else process.stdout.write(`${pc.green('✔')} revoked lease ${o.lease}\n`);
        } else {
          const r = v.revokeService(o.service!);
          if (o.json) printJson({ service: o.service, ...r });
          else if (r.revoked || r.leasesRevoked > 0) process.stdout.write(`${pc.green('✔')} revoked service ${o.service}: its token, ${r.sessionsRevoked} sidecar session(s) and ${r.leasesRevoked} lease(s)\n`);
          // Still recorded: a sidecar started later for this service is refused a session.
          else process.stdout.write(`${pc.green('✔')} ${o.service} marked revoked (it held no live token, session or lease); sidecars are refused until esq vault grant ${o.service}\n`);
        }
      });
    });

  vault
    .command('rotate')
    .description('Rotate the key-encryption key of a class and re-wrap its secrets (data is not re-encrypted)')
    .argument('<classification>', 'e.g. esq:kms:secrets or esq:kms:pii-high')
    .option('--retire', 'then retire every older key version (refused if anything still uses one)')
    .option('--retire-version <n>', 'retire only this older version, without rotating')
    .option('--json', 'print as JSON')
    .action(async (cls: string, o: { retire?: boolean; retireVersion?: string; json?: boolean }) => {
      await withVault(async (v) => {
        if (o.retireVersion !== undefined) {
          const n = parseVersion(o.retireVersion);
          await v.retire(cls, n);
          if (o.json) return printJson({ classification: cls, retired: [n] });
          return void process.stdout.write(`${pc.green('✔')} retired ${cls} v${n}\n`);
        }
        const r = await v.rotate(cls);
        const retired: number[] = [];
        if (o.retire) {
          const info = v.crypto.keyring.describe().find((c) => c.classification === cls);
          for (const k of info?.versions ?? []) {
            if (k.state === 'active' && k.version !== r.version) {
              await v.retire(cls, k.version);
              retired.push(k.version);
            }
          }
        }
        if (o.json) return printJson({ classification: cls, ...r, retired });
        process.stdout.write(`${pc.green('✔')} ${cls} now at key v${r.version}; ${r.rewrapped} secret(s) re-wrapped${retired.length ? `; retired v${retired.join(', v')}` : ''}\n`);
      });
    });
}
