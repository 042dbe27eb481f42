import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempHome } from '../../../test/helpers.js';
import { ConfigError, InvalidInputError } from '../../errors.js';
import { LocalCa } from './ca.js';
import { inspectCertificate, splitPem } from './inspect.js';
import { CrlFile, readCrl } from './revocation.js';
import { CertRotator } from './rotator.js';
import { x509 } from './x509.js';

const home = tempHome('esq-pki-');
after(() => home.cleanup());
const ID = 'spiffe://esq.local/ns/default/sa/billing';

describe('local CA', () => {
  it('keeps private keys 0600 in a 0700 folder', async () => {
    const dir = join(home.dir, 'plain');
    await LocalCa.init(dir);
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    assert.equal(statSync(join(dir, 'root.key')).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, 'bundle.pem')).mode & 0o777, 0o644);
    await assert.rejects(LocalCa.init(dir), ConfigError); // never replaces a CA
  });

  it('issues a leaf whose only identity is one SPIFFE URI SAN, not a CA, with TLS key usages', async () => {
    const ca = await LocalCa.open(join(home.dir, 'plain'));
    const creds = await ca.issue({ spiffeId: ID, ttlMs: 3_600_000, dnsNames: ['localhost'] });
    const f = inspectCertificate(creds.certPem);
    assert.deepEqual(f.uris, [ID]);
    assert.deepEqual(f.dnsNames, ['localhost']);
    assert.equal(f.isCa, false);
    assert.equal(f.keyUsage, x509.KeyUsageFlags.digitalSignature);
    assert.equal(f.keyUsageCritical, true);
    assert.deepEqual(f.extendedKeyUsage.sort(), [x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth].sort());
    assert.ok(f.notAfter.getTime() - Date.now() <= 3_600_000 + 1000, 'short-lived');
    const leaf = new X509Certificate(creds.certPem);
    const root = new X509Certificate(creds.bundlePem);
    assert.ok(leaf.checkIssued(root) && leaf.verify(root.publicKey), 'signed by the root');
    assert.equal(f.serial, creds.serial);
    assert.equal(ca.list()[0]!.serial, creds.serial);
  });

  it('refuses identities outside its trust domain and bad lifetimes', async () => {
    const ca = await LocalCa.open(join(home.dir, 'plain'));
    await assert.rejects(ca.issue({ spiffeId: 'spiffe://other.org/ns/default/sa/x' }), InvalidInputError);
    await assert.rejects(ca.issue({ spiffeId: 'spiffe://esq.local/ns/../sa/x' }), InvalidInputError);
    await assert.rejects(ca.issue({ spiffeId: ID, ttlMs: 48 * 3_600_000 }), InvalidInputError);
  });

  it('signs leaves with an intermediate when asked, and hands out the chain', async () => {
    const ca = await LocalCa.init(join(home.dir, 'inter'), { trustDomain: 'corp.example', intermediate: true });
    assert.equal(statSync(join(home.dir, 'inter', 'intermediate.key')).mode & 0o777, 0o600);
    const creds = await ca.issue({ spiffeId: 'spiffe://corp.example/ns/pay/sa/api', keyAlgorithm: 'ECDSA-P256' });
    const [leafPem, interPem] = splitPem(creds.chainPem);
    assert.ok(leafPem && interPem);
    const leaf = new X509Certificate(leafPem);
    const inter = new X509Certificate(interPem);
    const root = new X509Certificate(creds.bundlePem);
    assert.ok(leaf.verify(inter.publicKey) && inter.verify(root.publicKey));
    assert.equal(inspectCertificate(interPem).isCa, true);
    assert.equal(leaf.publicKey.asymmetricKeyType, 'ec');
  });

  it('revokes by serial into a signed CRL; a forged CRL is refused', async () => {
    const ca = await LocalCa.open(join(home.dir, 'plain'));
    const a = await ca.issue({ spiffeId: ID });
    const b = await ca.issue({ spiffeId: ID });
    const watched = await CrlFile.open(ca.crlPath, ca.issuerCertPem());
    assert.equal(watched.isRevoked(a.serial), false);
    const rec = await ca.revoke(a.serial.toUpperCase(), 'keyCompromise');
    assert.equal(rec.reason, 'keyCompromise');
    const crl = await readCrl(readFileSync(ca.crlPath, 'utf8'), ca.issuerCertPem());
    assert.ok(crl.serials.has(a.serial));
    assert.ok(!crl.serials.has(b.serial));
    await watched.refresh();
    assert.equal(watched.isRevoked(a.serial), true);
    await assert.rejects(ca.revoke('abcdef'), InvalidInputError);
    const other = await LocalCa.open(join(home.dir, 'inter'));
    await assert.rejects(readCrl(readFileSync(other.crlPath, 'utf8'), ca.issuerCertPem()), ConfigError);
    // A forged file in place of the CRL is ignored; the last good list stays in force.
    let complaint: Error | undefined;
    const guarded = await CrlFile.open(ca.crlPath, ca.issuerCertPem(), { onError: (e) => (complaint = e) });
    writeFileSync(ca.crlPath, readFileSync(other.crlPath));
    await guarded.refresh();
    assert.ok(complaint);
    assert.equal(guarded.isRevoked(a.serial), true);
    await ca.writeCrl();
  });
});

describe('certificate rotation', () => {
  it('renews before expiry on an injected clock', async () => {
    let now = new Date('2026-11-22T14:00:00Z');
    const ca = await LocalCa.open(join(home.dir, 'plain'), { clock: () => now });
    const scheduled: number[] = [];
    const seen: string[] = [];
    const rot = new CertRotator({
      issue: () => ca.issue({ spiffeId: ID, ttlMs: 3_600_000 }),
      renewBeforeMs: 20 * 60_000,
      clock: () => now,
      schedule: (_fn, ms) => {
        scheduled.push(ms);
        return () => {};
      },
      onRotate: (c) => seen.push(c.serial),
    });
    const first = await rot.start();
    assert.equal(first.notAfter.toISOString(), '2026-11-22T15:00:00.000Z');
    assert.equal(scheduled.at(-1), 40 * 60_000); // wakes at notAfter - renewBefore
    now = new Date('2026-11-22T14:39:00Z');
    assert.equal(await rot.check(), false);
    assert.equal(rot.current.serial, first.serial);
    now = new Date('2026-11-22T14:41:00Z');
    assert.equal(await rot.check(), true);
    assert.notEqual(rot.current.serial, first.serial);
    assert.ok(rot.current.notAfter > first.notAfter, 'the new certificate outlives the old one');
    assert.ok(first.notAfter.getTime() > now.getTime(), 'renewed while the old one was still valid');
    assert.deepEqual(seen, [first.serial, rot.current.serial]);
    assert.equal(rot.rotations, 1);
    rot.stop();
  });

  it('retries soon after a failed renewal', async () => {
    let now = new Date('2026-11-22T14:00:00Z');
    const ca = await LocalCa.open(join(home.dir, 'plain'), { clock: () => now });
    let fail = false;
    const scheduled: number[] = [];
    const errors: Error[] = [];
    const rot = new CertRotator({
      issue: () => (fail ? Promise.reject(new Error('CA offline')) : ca.issue({ spiffeId: ID, ttlMs: 600_000 })),
      renewBeforeMs: 200_000,
      clock: () => now,
      retryMs: 5000,
      onError: (e) => errors.push(e),
      schedule: (_fn, ms) => (scheduled.push(ms), () => {}),
    });
    await rot.start();
    fail = true;
    now = new Date(now.getTime() + 500_000);
    assert.equal(await rot.check(), false);
    assert.equal(errors[0]?.message, 'CA offline');
    assert.equal(scheduled.at(-1), 5000);
    rot.stop();
  });
});
