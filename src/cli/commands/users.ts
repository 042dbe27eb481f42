/**
 * `esq users`: console users (name, roles, optional tenant, scrypt-hashed password). The password is
 * read from ESQ_USER_PASSWORD or stdin — never from the command line, where `ps` and shell history
 * would keep it.
 */
import type { Command } from 'commander';
import pc from 'picocolors';
import { InvalidInputError } from '../../errors.js';
import { parseRoles, type Role } from '../../server/auth/api-keys.js';
import { checkNewPassword, hashPassword } from '../../server/console/passwords.js';
import { checkUserName } from '../../store/console-rows.js';
import { printJson } from '../io.js';
import { withStore } from './keys.js';

export const PASSWORD_ENV = 'ESQ_USER_PASSWORD';

/** The new password: ESQ_USER_PASSWORD, else the first line of stdin (piped, or typed without echo). */
async function readPassword(): Promise<string> {
  const fromEnv = process.env[PASSWORD_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const stdin = process.stdin;
  if (stdin.isTTY) {
    process.stderr.write('Password (not shown): ');
    stdin.setRawMode(true);
    const pw = await new Promise<string>((resolve, reject) => {
      let typed = '';
      const onData = (b: Buffer) => {
        for (const ch of b.toString('utf8')) {
          if (ch === '\r' || ch === '\n') return done(typed);
          if (ch === '\u0003') return fail(new InvalidInputError('cancelled'));
          if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
          else typed += ch;
        }
      };
      const cleanup = () => {
        stdin.off('data', onData);
        stdin.setRawMode(false);
        stdin.pause();
        process.stderr.write('\n');
      };
      const done = (v: string) => (cleanup(), resolve(v));
      const fail = (e: Error) => (cleanup(), reject(e));
      stdin.on('data', onData);
      stdin.resume();
    });
    return pw;
  }
  const chunks: Buffer[] = [];
  for await (const c of stdin) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  const line = text.split(/\r?\n/)[0] ?? '';
  if (line === '') throw new InvalidInputError(`no password: pipe it on stdin or set ${PASSWORD_ENV}`);
  return line;
}

async function newPasswordHash(): Promise<string> {
  const pw = await readPassword();
  checkNewPassword(pw);
  return hashPassword(pw);
}

function roleList(list: string): Role[] {
  try {
    return parseRoles(list);
  } catch (e) {
    throw new InvalidInputError(`--roles: ${(e as Error).message}`);
  }
}

export function registerUsers(program: Command): void {
  const users = program
    .command('users')
    .description('Manage console users (passwords are stored as scrypt hashes)')
    .addHelpText('after', `\nPasswords are read from ${PASSWORD_ENV} or stdin, never from arguments:\n  printf '%s\\n' "$PW" | esq users add alice --roles approve,read --tenant va\n`);
  users
    .command('add')
    .description('Add a console user; the password comes from stdin or ESQ_USER_PASSWORD')
    .argument('<name>', 'user name (letters, digits, ".", "-", "_"); votes are cast as user:<name>')
    .requiredOption('--roles <list>', 'comma-separated: decide, read, approve, admin')
    .option('--tenant <id>', 'restrict the user to one tenant')
    .option('--json', 'print as JSON')
    .action(async (name: string, o: { roles: string; tenant?: string; json?: boolean }) => {
      checkUserName(name);
      const roles = roleList(o.roles);
      const passwordHash = await newPasswordHash();
      await withStore((s) => s.putConsoleUser({ name, passwordHash, roles, tenant: o.tenant ?? null, createdAt: new Date() }));
      if (o.json) printJson({ name, roles, tenant: o.tenant ?? null });
      else process.stdout.write(`${pc.green('✔')} user ${name} (${roles.join(', ')}${o.tenant ? `, tenant ${o.tenant}` : ''}) can sign in to /console\n`);
    });
  users
    .command('passwd')
    .description("Set a user's password (from stdin or ESQ_USER_PASSWORD); ends their sessions")
    .argument('<name>')
    .action(async (name: string) => {
      const passwordHash = await newPasswordHash();
      if (!(await withStore((s) => s.setConsoleUserPassword(name, passwordHash)))) throw new InvalidInputError(`no console user ${name} (see esq users list)`);
      process.stdout.write(`${pc.green('✔')} password changed for ${name}; their sessions have ended\n`);
    });
  users
    .command('list')
    .description('List console users (never their password hashes)')
    .option('--json', 'print as JSON')
    .action(async (o: { json?: boolean }) => {
      const rows = (await withStore((s) => s.listConsoleUsers())).map(({ passwordHash: _h, ...u }) => u);
      if (o.json) printJson(rows);
      else if (rows.length === 0) process.stdout.write(pc.dim('no console users yet: esq users add <name> --roles approve,read\n'));
      else for (const u of rows) process.stdout.write(`${u.name.padEnd(20)} ${u.roles.join(',').padEnd(20)} ${u.tenant ?? '*'}\n`);
    });
  users
    .command('remove')
    .description('Remove a console user and end their sessions')
    .argument('<name>')
    .action(async (name: string) => {
      if (!(await withStore((s) => s.deleteConsoleUser(name)))) throw new InvalidInputError(`no console user ${name} (see esq users list)`);
      process.stdout.write(`${pc.green('✔')} removed ${name}\n`);
    });
}
