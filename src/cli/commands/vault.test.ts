import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { tempHome } from '../../../test/helpers.js';

// `esq vault …` as main.ts would run it: commander with exitOverride, errors through failWith.
const RUNNER = `
const { Command } = await import('commander');
const { registerVault } = await import(process.env.T_VAULT);
const { failWith } = await import(process.env.T_IO);
const p = new Command('esq');
registerVault(p);
const override = (c) => { c.exitOverride(); c.commands.forEach(override); };
override(p);
try { await p.parseAsync(process.argv.slice(1), { from: 'user' }); }
catch (e) { process.exitCode = typeof e?.code === 'string' && e.code.startsWith('commander.') ? (e.exitCode === 0 ? 0 : 2) : failWith(e, process.argv.includes('--json')); }
`;

describe('esq vault', () => {
  const home = tempHome('esq-vault-cli-');
  after(home.cleanup);
  const env = { ...process.env, ESQ_HOME: home.dir, ESQ_MASTER_KEY: randomBytes(32).toString('base64'), NO_COLOR: '1' };
  // Beside this file: .ts when run from source, .js when run from dist/.
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const here = (f: string): string => fileURLToPath(new URL(`${f}${ext}`, import.meta.url));
  const esq = (args: string[], input?: string): { code: number; out: string; err: string } => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', RUNNER, ...args], {
      env: { ...env, T_VAULT: here('./vault'), T_IO: here('../io') }, input: input ?? '', encoding: 'utf8', timeout: 30_000,
    });
    return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
  };
  const secret = `tok_${randomBytes(16).toString('hex')}`;

  it('put reads stdin (dropping the trailing newline), get prints the exact value', () => {
    const put = esq(['vault', 'put', 'banking/apiToken'], `${secret}\n`);
    assert.equal(put.code, 0, put.err);
    assert.match(put.out, /stored banking\/apiToken v1 \(esq:kms:secrets, key v1\)/);
    const get = esq(['vault', 'get', 'banking/apiToken']);
    assert.equal(get.code, 0, get.err);
    assert.equal(get.out, secret);
    assert.deepEqual(JSON.parse(esq(['vault', 'get', 'banking/apiToken', '--json']).out), { path: 'banking/apiToken', version: 1, value: secret });
  });

  it('list never shows values', () => {
    const r = esq(['vault', 'list', '--json']);
    assert.equal(r.code, 0);
    const rows = JSON.parse(r.out) as Array<{ path: string }>;
    assert.deepEqual(rows.map((x) => x.path), ['banking/apiToken']);
    assert.ok(!r.out.includes(secret));
  });

  it('grant prints a token once; revoke --service revokes it', () => {
    const g = esq(['vault', 'grant', 'lunch-svc', '--paths', 'banking/*', '--json']);
    assert.equal(g.code, 0, g.err);
    assert.match(JSON.parse(g.out).token, /^esqv_lunch-svc_/);
    const r = esq(['vault', 'revoke', '--service', 'lunch-svc', '--json']);
    assert.deepEqual(JSON.parse(r.out), { service: 'lunch-svc', revoked: true, leasesRevoked: 0, sessionsRevoked: 0 });
    assert.equal(esq(['vault', 'list', '--services', '--json']).out.includes('"revokedAt": null'), false);
  });

  it('rotate re-wraps and retires old key versions; the secret stays readable', () => {
    const r = esq(['vault', 'rotate', 'esq:kms:secrets', '--retire', '--json']);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(JSON.parse(r.out), { classification: 'esq:kms:secrets', version: 2, rewrapped: 1, retired: [1] });
    assert.equal(esq(['vault', 'get', 'banking/apiToken']).out, secret);
  });

  it('errors are one typed line with exit code 2', () => {
    for (const [args, input, msg] of [
      [['vault', 'put', 'x/y'], '', /secret is empty/],
      [['vault', 'put', 'x/y', '-c', 'pii-high'], 'v', /classification "pii-high" must look like esq:kms:<name>/],
      [['vault', 'put', '../etc'], 'v', /secret path/],
      [['vault', 'get', 'nope/none'], '', /no secret at nope\/none/],
      [['vault', 'revoke'], '', /exactly one of --lease/],
      [['vault', 'rotate', 'esq:kms:secrets', '--retire-version', '2'], '', /current version/],
    ] as Array<[string[], string, RegExp]>) {
      const r = esq(args, input);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
      assert.match(r.err, msg);
      assert.equal(r.err.trim().split('\n').length, 1, r.err);
    }
    const j = esq(['vault', 'get', 'nope/none', '--json']);
    assert.equal(JSON.parse(j.err).error.code, 'ESQ_INVALID_INPUT');
  });

  it('--help documents the subcommands', () => {
    const r = esq(['vault', '--help']);
    assert.equal(r.code, 0);
    for (const c of ['put', 'get', 'list', 'grant', 'revoke', 'rotate']) assert.match(r.out, new RegExp(`\\b${c}\\b`));
  });

  it('every operator read is in the audit file, without the value', () => {
    const lines = readFileSync(join(home.dir, 'vault', 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { action: string; outcome: string });
    assert.ok(lines.filter((l) => l.action === 'admin-read' && l.outcome === 'ok').length >= 3);
    assert.ok(lines.some((l) => l.action === 'admin-read' && l.outcome === 'not-found'));
    assert.ok(!JSON.stringify(lines).includes(secret));
  });
});
