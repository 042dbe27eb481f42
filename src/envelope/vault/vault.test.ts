import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tempHome } from '../../../test/helpers.js';
import { DecryptionError } from '../crypto/aead.js';
import { createVaultClient, vaultClientFromEnv } from './client.js';
import { startVaultServer, type VaultServer } from './server.js';
import { Vault, VaultAccessError, type VaultAuditEvent } from './vault.js';

/** Every encoding of `secret` that could betray it in a file: raw, UTF-16, hex, base64/base64url at each alignment. */
function betrayingForms(secret: Buffer): string[] {
  const forms = [secret.toString('latin1'), Buffer.from(secret.toString('utf8'), 'utf16le').toString('latin1'), secret.toString('hex'), secret.toString('hex').toUpperCase()];
  for (let shift = 0; shift < 3; shift++) {
    const padded = Buffer.concat([Buffer.alloc(shift), secret]);
    for (const enc of ['base64', 'base64url'] as const) {
      // Drop the characters that depend on neighbouring bytes; the core is fixed wherever the secret sits.
      const text = padded.toString(enc).replace(/=+$/, '');
      forms.push(text.slice(shift === 0 ? 0 : 4, text.length - 4));
    }
  }
  return forms;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : e.isFile() ? [join(dir, e.name)] : []));
}

/** Returns "file: form" for every occurrence of any secret in any file under `dir`. */
function scan(dir: string, secrets: Buffer[]): { files: string[]; hits: string[] } {
  const files = filesUnder(dir);
  const hits: string[] = [];
  for (const f of files) {
    const text = readFileSync(f).toString('latin1');
    for (const s of secrets) for (const form of betrayingForms(s)) if (form.length >= 8 && text.includes(form)) hits.push(`${f}: ${JSON.stringify(form).slice(0, 40)}`);
  }
  return { files, hits };
}

describe('secrets vault', () => {
  const home = tempHome('esq-vault-');
  after(home.cleanup);
  const audit: VaultAuditEvent[] = [];
  let now = Date.parse('2026-03-01T12:00:00Z');
  const clock = (): Date => new Date(now);
  const secrets = {
    apiToken: Buffer.from(`sk_live_${randomBytes(24).toString('hex')}`),
    password: Buffer.from('correct horse battery staple 4 ever'),
    pii: Buffer.from('SSN 078-05-1120 Jane Q. Public'),
  };
  let vault: Vault;
  let server: VaultServer;
  let token: string;

  before(async () => {
    // No ESQ_MASTER_KEY: the master key file is created under ESQ_HOME (and scanned like the rest).
    vault = new Vault({ home: home.dir, env: {}, onAudit: (e) => audit.push(e), clock, leaseTtlMs: 60_000, maxLeaseTtlMs: 300_000 });
    await vault.put('banking/apiToken', Buffer.from(secrets.apiToken));
    await vault.put('banking/password', secrets.password.toString('utf8'));
    await vault.put('patients/ssn', Buffer.from(secrets.pii), { classification: 'esq:kms:pii-high' });
    token = vault.grant('lunch-svc', ['banking/*']).token;
    server = await startVaultServer({ vault });
  });
  after(async () => {
    await server.close();
    vault.close();
  });

  it('stores values only sealed, with versions and classifications', () => {
    assert.deepEqual(vault.list().map((s) => [s.path, s.version, s.classification, s.kekVersion]), [
      ['banking/apiToken', 1, 'esq:kms:secrets', 1], ['banking/password', 1, 'esq:kms:secrets', 1], ['patients/ssn', 1, 'esq:kms:pii-high', 1],
    ]);
    const row = vault.store.getSecret('banking/apiToken')!;
    assert.deepEqual(Object.keys(JSON.parse(row.sealed)).sort(), ['cls', 'ct', 'dek', 'kek', 'v']);
  });

  it('a service reads a granted secret over the local API, with a lease; every read is audited', async () => {
    const client = createVaultClient({ url: server.url!, token });
    const a0 = audit.length;
    assert.equal(await client.read('banking/apiToken'), secrets.apiToken.toString());
    const leased = await client.lease('banking/password', 30);
    assert.equal(leased.value.toString(), secrets.password.toString());
    assert.equal(leased.lease.ttlSeconds, 30);
    assert.match(leased.lease.id, /^lease_/);
    leased.dispose();
    assert.ok(leased.value.every((b) => b === 0), 'dispose zeroes the buffer');
    const reads = audit.slice(a0).filter((e) => e.action === 'read');
    assert.deepEqual(reads.map((e) => [e.actor, e.path, e.outcome]), [['lunch-svc', 'banking/apiToken', 'ok'], ['lunch-svc', 'banking/password', 'ok']]);
    assert.ok(reads.every((e) => e.leaseId?.startsWith('lease_')));
  });

  it('refuses unknown tokens, ungranted paths and missing secrets (audited as such)', async () => {
    const a0 = audit.length;
    await assert.rejects(createVaultClient({ url: server.url!, token: 'esqv_x_nope' }).read('banking/apiToken'), (e: unknown) => e instanceof VaultAccessError && e.kind === 'unauthenticated');
    const client = createVaultClient({ url: server.url!, token });
    await assert.rejects(client.read('patients/ssn'), (e: unknown) => e instanceof VaultAccessError && e.kind === 'forbidden');
    await assert.rejects(client.read('banking/nothing'), (e: unknown) => e instanceof VaultAccessError && e.kind === 'not-found');
    assert.deepEqual(audit.slice(a0).map((e) => e.outcome), ['denied', 'denied', 'not-found']);
  });

  it('a revoked lease stops working (re-read and renew both refused)', async () => {
    const client = createVaultClient({ url: server.url!, token });
    const s = await client.lease('banking/apiToken');
    assert.equal((await s.reread()).toString(), secrets.apiToken.toString());
    const renewed = await s.renew(120);
    assert.equal(renewed.ttlSeconds, 120);
    await s.revoke();
    assert.ok(s.value.every((b) => b === 0));
    await assert.rejects(s.reread(), (e: unknown) => e instanceof VaultAccessError && e.kind === 'lease-invalid' && /revoked/.test(e.message));
    await assert.rejects(s.renew(), (e: unknown) => e instanceof VaultAccessError && e.kind === 'lease-invalid');
    assert.ok(vault.leases().find((l) => l.id === s.lease.id)!.revoked);
  });

  it('a lease expires with its TTL and renewals stop at the maximum', async () => {
    const client = createVaultClient({ url: server.url!, token });
    const s = await client.lease('banking/password', 10);
    now += 5_000;
    const r = await s.renew(1_000_000);
    assert.equal(r.expiresAt, new Date(Date.parse(s.lease.maxExpiresAt)).toISOString(), 'clamped to the maximum');
    now += 300_000;
    await assert.rejects(s.reread(), (e: unknown) => e instanceof VaultAccessError && /expired/.test(e.message));
    s.dispose();
  });

  it('serves on a unix socket (0600) and through envelope-style env configuration', async () => {
    const socketPath = join(home.dir, 'vault', 'api.sock');
    const sock = await startVaultServer({ vault, socketPath });
    try {
      assert.equal(statSync(socketPath).mode & 0o777, 0o600);
      const viaEnv = vaultClientFromEnv({ ESQ_VAULT_SOCKET: socketPath, ESQ_VAULT_TOKEN: token });
      assert.equal(await viaEnv.read('banking/password'), secrets.password.toString());
    } finally {
      await sock.close();
    }
  });

  it('the API refuses escaped paths and unknown routes', async () => {
    const call = (path: string, method = 'GET'): Promise<number> =>
      new Promise((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port: server.port!, path, method, headers: { authorization: `Bearer ${token}` } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    assert.equal(await call('/v1/vault/banking%2FapiToken'), 400);
    assert.equal(await call('/v1/vault/banking/%2e%2e/patients/ssn'), 400);
    assert.equal(await call('/v1/vault/banking/../patients/ssn'), 400);
    assert.equal(await call('/v1/secrets'), 404);
    assert.equal(await call('/v1/vault/banking/apiToken', 'PUT'), 404);
  });

  it('the client refuses a vault URL off loopback before sending the token', () => {
    assert.throws(() => createVaultClient({ url: 'http://10.0.0.1:8200', token }), /loopback/);
  });

  it('a sealed value moved to another path or rolled back to an older version does not decrypt', async () => {
    const a = vault.store.getSecret('banking/apiToken')!;
    await vault.put('banking/moved', 'placeholder');
    vault.store.stmt('UPDATE secrets SET sealed = ? WHERE path = ?').run(a.sealed, 'banking/moved');
    await assert.rejects(vault.adminRead('banking/moved'), DecryptionError);
    await vault.put('banking/moved', 'second version');
    const v2 = vault.store.getSecret('banking/moved')!;
    assert.equal(v2.version, 2);
    await vault.put('banking/moved', 'third');
    vault.store.stmt('UPDATE secrets SET sealed = ? WHERE path = ?').run(v2.sealed, 'banking/moved'); // v2's blob in the v3 row
    await assert.rejects(vault.adminRead('banking/moved'), DecryptionError);
    vault.delete('banking/moved');
  });

  it('rotation re-wraps without re-encrypting, old data stays readable, then the old KEK retires', async () => {
    const before = vault.store.getSecret('banking/apiToken')!;
    await assert.rejects(vault.retire('esq:kms:secrets', 1), /current version/);
    const v2 = await vault.crypto.keyring.rotate('esq:kms:secrets');
    assert.equal(v2, 2);
    const old = await vault.adminRead('banking/apiToken');
    assert.equal(old.value.toString(), secrets.apiToken.toString(), 'readable under the old KEK after rotation');
    old.value.fill(0);
    await assert.rejects(vault.retire('esq:kms:secrets', 1), /still use/);
    assert.equal(await vault.rewrapAll('esq:kms:secrets'), 2);
    const afterRow = vault.store.getSecret('banking/apiToken')!;
    assert.equal(afterRow.kek_version, 2);
    assert.equal(JSON.parse(afterRow.sealed).ct, JSON.parse(before.sealed).ct, 'data ciphertext untouched');
    await vault.retire('esq:kms:secrets', 1);
    const r = await vault.rotate('esq:kms:secrets');
    assert.deepEqual(r, { version: 3, rewrapped: 2 });
    const client = createVaultClient({ url: server.url!, token });
    assert.equal(await client.read('banking/apiToken'), secrets.apiToken.toString());
    const pii = await vault.adminRead('patients/ssn');
    assert.equal(pii.value.toString(), secrets.pii.toString(), 'other classifications are unaffected');
    pii.value.fill(0);
  });

  it('revoking a service revokes its token and all its leases', async () => {
    const client = createVaultClient({ url: server.url!, token });
    const s1 = await client.lease('banking/apiToken');
    const s2 = await client.lease('banking/password');
    const r = vault.revokeService('lunch-svc');
    assert.equal(r.revoked, true);
    assert.ok(r.leasesRevoked >= 2);
    assert.equal(vault.leases({ service: 'lunch-svc', activeOnly: true }).length, 0);
    await assert.rejects(client.read('banking/apiToken'), (e: unknown) => e instanceof VaultAccessError && e.kind === 'unauthenticated');
    await assert.rejects(s1.reread(), (e: unknown) => e instanceof VaultAccessError);
    s1.dispose();
    s2.dispose();
    const again = vault.grant('lunch-svc', ['banking/apiToken']);
    assert.equal(await createVaultClient({ url: server.url!, token: again.token }).read('banking/apiToken'), secrets.apiToken.toString());
  });

  it('no plaintext, hex or base64 form of any secret in any file under ESQ_HOME (SQLite, WAL, keyring, audit)', () => {
    const all = Object.values(secrets);
    const open = scan(home.dir, all);
    assert.ok(open.files.some((f) => f.endsWith('vault.db-wal')), `the WAL is scanned (files: ${open.files.map((f) => f.slice(home.dir.length)).join(', ')})`);
    assert.ok(open.files.some((f) => f.endsWith('keyring.json')));
    assert.deepEqual(open.hits, []);
    const loose = open.files.filter((f) => (statSync(f).mode & 0o077) !== 0);
    assert.deepEqual(loose, [], 'every file under ESQ_HOME is private to its owner');
    // The scanner is not vacuous: planted encodings, each inside other bytes, are all found.
    const planted = tempHome('esq-vault-planted-');
    try {
      const p = secrets.password;
      writeFileSync(join(planted.dir, 'raw.bin'), Buffer.concat([randomBytes(7), p, randomBytes(7)]));
      writeFileSync(join(planted.dir, 'hex.txt'), `id=${p.toString('hex')};`);
      writeFileSync(join(planted.dir, 'b64.json'), JSON.stringify({ v: Buffer.concat([Buffer.from('a'), p, Buffer.from('zz')]).toString('base64') }));
      writeFileSync(join(planted.dir, 'b64url.txt'), Buffer.concat([Buffer.from('ab'), p]).toString('base64url'));
      assert.deepEqual(new Set(scan(planted.dir, [p]).hits.map((h) => h.split(':')[0]!.slice(planted.dir.length + 1))), new Set(['raw.bin', 'hex.txt', 'b64.json', 'b64url.txt']));
    } finally {
      planted.cleanup();
    }
    assert.ok(audit.length > 10);
    const auditText = JSON.stringify(audit);
    for (const s of all) for (const f of betrayingForms(s)) assert.ok(!auditText.includes(f));
  });

  it('still none after the database is closed and checkpointed', () => {
    vault.store.db.pragma('wal_checkpoint(TRUNCATE)');
    const { files, hits } = scan(home.dir, Object.values(secrets));
    assert.ok(files.some((f) => f.endsWith('vault.db')));
    assert.deepEqual(hits, []);
  });
});

describe('sidecar sessions', () => {
  const home = tempHome('esq-vault-sess-');
  after(home.cleanup);
  const audit: VaultAuditEvent[] = [];
  let vault: Vault;
  let server: VaultServer;
  before(async () => {
    vault = new Vault({ home: home.dir, env: {}, onAudit: (e) => audit.push(e) });
    await vault.put('banking/apiToken', 'tok-1');
    await vault.put('ledger/key', 'led-1');
    await vault.put('patients/ssn', 'ssn-1');
    server = await startVaultServer({ vault });
  });
  after(async () => {
    await server.close();
    vault.close();
  });
  const client = (token: string) => createVaultClient({ url: server.url!, token });
  const kind = (k: string) => (e: unknown) => e instanceof VaultAccessError && e.kind === k;

  it("reads the envelope file's paths plus the service's own grant, nothing else; closing ends token and leases", async () => {
    const s = vault.openSession('ledger-svc', ['banking/*']);
    assert.match(s.token, /^esqv_ledger-svc_/);
    assert.equal(await client(s.token).read('banking/apiToken'), 'tok-1');
    await assert.rejects(client(s.token).read('ledger/key'), kind('forbidden'));
    vault.grant('ledger-svc', ['ledger/*']); // the operator's grant applies to the running session at once
    assert.equal(await client(s.token).read('ledger/key'), 'led-1');
    await assert.rejects(client(s.token).read('patients/ssn'), kind('forbidden'));
    const leased = await client(s.token).lease('banking/apiToken');
    const reads = audit.filter((e) => e.action === 'read' && e.outcome === 'ok');
    assert.ok(reads.every((e) => e.session === s.id && e.actor === 'ledger-svc'));
    const closed = vault.closeSession(s.id);
    assert.deepEqual(closed, { closed: true, leasesRevoked: 3 });
    await assert.rejects(leased.reread(), kind('unauthenticated'));
    await assert.rejects(client(s.token).read('banking/apiToken'), kind('unauthenticated'));
    assert.equal(vault.leases({ service: 'ledger-svc', activeOnly: true }).length, 0);
    assert.deepEqual(vault.sessions(), []);
  });

  it('revoking the service ends its sessions, and sticks: no new session until granted again', async () => {
    const s = vault.openSession('ledger-svc', ['banking/*']);
    await client(s.token).read('banking/apiToken');
    const r = vault.revokeService('ledger-svc');
    assert.deepEqual(r, { revoked: true, leasesRevoked: 1, sessionsRevoked: 1 });
    await assert.rejects(client(s.token).read('banking/apiToken'), kind('unauthenticated'));
    assert.throws(() => vault.openSession('ledger-svc', ['banking/*']), (e: unknown) => kind('forbidden')(e) && /esq vault grant ledger-svc/.test((e as Error).message));
    // A service known only from its envelope file is revoked the same way.
    const other = vault.openSession('fresh-svc', ['banking/*']);
    assert.equal(vault.revokeService('fresh-svc').sessionsRevoked, 1);
    await assert.rejects(client(other.token).read('banking/apiToken'), kind('unauthenticated'));
    assert.throws(() => vault.openSession('fresh-svc', []), kind('forbidden'));
    vault.grant('fresh-svc', ['ledger/*']);
    const back = vault.openSession('fresh-svc', []);
    assert.equal(await client(back.token).read('ledger/key'), 'led-1');
    await assert.rejects(client(back.token).read('banking/apiToken'), kind('forbidden'));
    vault.closeSession(back.id);
  });

  it("closes sessions a crashed sidecar on this host left open, never another host's", async () => {
    const remote = vault.openSession('crash-svc', ['banking/*'], { holder: 'elsewhere.example:1' });
    const dead = vault.openSession('crash-svc', ['banking/*'], { holder: `${hostname()}:2147483646` });
    await client(dead.token).read('banking/apiToken');
    const live = vault.openSession('crash-svc', ['banking/*']);
    await assert.rejects(client(dead.token).read('banking/apiToken'), kind('unauthenticated'));
    assert.equal(vault.leases({ service: 'crash-svc', activeOnly: true }).length, 0);
    assert.deepEqual(vault.sessions({ service: 'crash-svc' }).map((x) => x.id).sort(), [remote.id, live.id].sort());
  });
});
