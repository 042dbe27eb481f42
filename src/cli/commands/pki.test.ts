import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tempHome } from '../../../test/helpers.js';
import { inspectCertificate } from '../../envelope/pki/inspect.js';
import { runCli } from './envelope-cli.fixtures.js';

const home = tempHome('esq-cli-pki-');
after(() => home.cleanup());
const esq = (...args: string[]) => runCli('./pki.js', 'registerPki', args, { ESQ_HOME: home.dir });

describe('esq pki', () => {
  it('init creates the CA once; a second init fails with one line', async () => {
    const r = await esq('pki', 'init', '--trust-domain', 'corp.example', '--intermediate', '--json');
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out) as { trustDomain: string; intermediate: boolean };
    assert.deepEqual([j.trustDomain, j.intermediate], ['corp.example', true]);
    assert.equal(statSync(join(home.dir, 'pki', 'root.key')).mode & 0o777, 0o600);
    const again = await esq('pki', 'init');
    assert.equal(again.code, 2);
    assert.match(again.err, /^esq: a certificate authority already exists in /);
    assert.equal(again.err.trim().split('\n').length, 1);
  });

  it('issue writes a workload certificate and a 0600 key', async () => {
    const out = join(home.dir, 'billing-creds');
    const r = await esq('pki', 'issue', 'billing', '--namespace', 'pay', '--ttl', '30m', '--out', out, '--json');
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out) as { spiffeId: string; serial: string };
    assert.equal(j.spiffeId, 'spiffe://corp.example/ns/pay/sa/billing');
    assert.equal(statSync(join(out, 'key.pem')).mode & 0o777, 0o600);
    const f = inspectCertificate(readFileSync(join(out, 'cert.pem'), 'utf8'));
    assert.deepEqual(f.uris, [j.spiffeId]);
    assert.equal(f.serial, j.serial);
    assert.ok(readFileSync(join(out, 'chain.pem'), 'utf8').split('BEGIN CERTIFICATE').length === 3, 'leaf + intermediate');
    assert.ok(!r.out.includes('PRIVATE KEY'));
  });

  it('list shows it valid; revoke marks it revoked; unknown serials and bad input exit 2', async () => {
    const list = JSON.parse((await esq('pki', 'list', '--json')).out) as Array<{ serial: string; state: string }>;
    assert.equal(list.length, 1);
    assert.equal(list[0]!.state, 'valid');
    const rv = await esq('pki', 'revoke', list[0]!.serial, '--reason', 'keyCompromise');
    assert.equal(rv.code, 0, rv.err);
    assert.match(rv.out, /revoked/);
    const after = JSON.parse((await esq('pki', 'list', '--json')).out) as Array<{ state: string }>;
    assert.equal(after[0]!.state, 'revoked');
    assert.equal((await esq('pki', 'revoke', 'abcdef')).code, 2);
    assert.equal((await esq('pki', 'revoke', list[0]!.serial, '--reason', 'because')).code, 2);
    assert.equal((await esq('pki', 'issue', 'billing', '--ttl', 'soon')).code, 2);
    assert.equal((await esq('pki', 'issue', 'Bad/Name')).code, 2);
  });

  it('has --help', async () => {
    const r = await esq('pki', 'issue', '--help');
    assert.equal(r.code, 0);
    assert.match(r.out, /--ttl <duration>/);
  });

  it('tells the user to run init when there is no CA', async () => {
    const empty = tempHome('esq-cli-pki-empty-');
    try {
      const r = await runCli('./pki.js', 'registerPki', ['pki', 'list'], { ESQ_HOME: empty.dir });
      assert.equal(r.code, 2);
      assert.match(r.err, /esq pki init/);
    } finally {
      empty.cleanup();
    }
  });
});
