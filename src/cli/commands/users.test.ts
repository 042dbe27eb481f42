/** `esq users` in a child process (stdin and environment are the point): passwords never come from argv. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import { verifyPassword } from '../../server/console/passwords.js';
import { SqliteStore } from '../../store/sqlite/sqlite-store.js';

const home = mkdtempSync(join(tmpdir(), 'esq-users-'));
after(() => rmSync(home, { recursive: true, force: true }));

const here = fileURLToPath(import.meta.url);
const ext = here.endsWith('.ts') ? '.ts' : '.js';
const modules = { commander: import.meta.resolve('commander'), users: pathToFileURL(join(here, '..', `users${ext}`)).href, io: pathToFileURL(join(here, '..', '..', `io${ext}`)).href };
// A program with only `users` registered, exactly as main.ts maps errors to exit codes.
const CHILD = `
const { Command } = await import(${JSON.stringify(modules.commander)});
const { registerUsers } = await import(${JSON.stringify(modules.users)});
const { failWith } = await import(${JSON.stringify(modules.io)});
const p = new Command('esq').exitOverride();
registerUsers(p);
p.commands.forEach((c) => { c.exitOverride(); c.commands.forEach((d) => d.exitOverride()); });
try { await p.parseAsync(JSON.parse(process.env.ESQ_TEST_ARGS), { from: 'user' }); }
catch (e) { process.exitCode = e.code?.startsWith?.('commander.') ? 2 : failWith(e); }
`;

function esq(args: string[], o: { stdin?: string; env?: Record<string, string> } = {}): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    // process.execArgv carries the TypeScript loader when the tests run from source.
    const child = spawn(process.execPath, [...process.execArgv, '--input-type=module', '-e', CHILD], {
      env: { ...process.env, ESQ_HOME: home, ESQ_TEST_ARGS: JSON.stringify(args), NO_COLOR: '1', ESQ_USER_PASSWORD: '', ...o.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, out, err }));
    child.stdin.end(o.stdin ?? '');
  });
}

async function user(name: string) {
  const s = new SqliteStore({ home });
  try {
    return await s.getConsoleUser(name);
  } finally {
    await s.close();
  }
}

describe('esq users', () => {
  it('adds a user with the password from stdin, stored only as a scrypt hash', async () => {
    const r = await esq(['users', 'add', 'alice', '--roles', 'approve,read', '--tenant', 'va'], { stdin: 'correct horse battery staple\n' });
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /user alice \(approve, read, tenant va\)/);
    const u = (await user('alice'))!;
    assert.deepEqual([u.roles, u.tenant], [['approve', 'read'], 'va']);
    assert.match(u.passwordHash, /^scrypt\$/);
    assert.equal(await verifyPassword('correct horse battery staple', u.passwordHash), true);
  });

  it('takes the password from ESQ_USER_PASSWORD for automation', async () => {
    const r = await esq(['users', 'add', 'bot.approver', '--roles', 'approve', '--json'], { env: { ESQ_USER_PASSWORD: 'automation password 1' } });
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(JSON.parse(r.out), { name: 'bot.approver', roles: ['approve'], tenant: null });
    assert.equal(await verifyPassword('automation password 1', (await user('bot.approver'))!.passwordHash), true);
  });

  it('refuses a password on the command line, short passwords, bad roles and duplicate names', async () => {
    const argv = await esq(['users', 'add', 'carol', '--roles', 'read', '--password', 'correct horse battery staple']);
    assert.equal(argv.code, 2);
    assert.equal(await user('carol'), undefined);
    const short = await esq(['users', 'add', 'carol', '--roles', 'read'], { stdin: 'short\n' });
    assert.equal(short.code, 2);
    assert.match(short.err, /at least 12 characters/);
    const empty = await esq(['users', 'add', 'carol', '--roles', 'read']);
    assert.equal(empty.code, 2);
    assert.match(empty.err, /ESQ_USER_PASSWORD/);
    const roles = await esq(['users', 'add', 'carol', '--roles', 'root'], { stdin: 'correct horse battery staple\n' });
    assert.equal(roles.code, 2);
    assert.match(roles.err, /--roles/);
    const dup = await esq(['users', 'add', 'alice', '--roles', 'read'], { stdin: 'another long password\n' });
    assert.equal(dup.code, 2);
    assert.match(dup.err, /already exists/);
    assert.equal(await user('carol'), undefined);
  });

  it('lists users without hashes, changes passwords and removes users', async () => {
    const list = await esq(['users', 'list', '--json']);
    const rows = JSON.parse(list.out) as Array<Record<string, unknown>>;
    assert.deepEqual(rows.map((u) => u.name).sort(), ['alice', 'bot.approver']);
    assert.ok(rows.every((u) => !('passwordHash' in u)) && !list.out.includes('scrypt'));
    const pw = await esq(['users', 'passwd', 'alice'], { stdin: 'a brand new password\n' });
    assert.equal(pw.code, 0, pw.err);
    const h = (await user('alice'))!.passwordHash;
    assert.equal(await verifyPassword('a brand new password', h), true);
    assert.equal(await verifyPassword('correct horse battery staple', h), false);
    assert.equal((await esq(['users', 'remove', 'alice'])).code, 0);
    assert.equal(await user('alice'), undefined);
    const again = await esq(['users', 'remove', 'alice']);
    assert.equal(again.code, 2);
    assert.match(again.err, /no console user alice/);
  });
});
