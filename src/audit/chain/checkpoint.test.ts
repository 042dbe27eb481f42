import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { appendFileSync, chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigError } from '../../errors.js';
import { auditKeyId, signCheckpoint, verifyCheckpoint } from './checkpoint.js';
import { FileCheckpointPublisher, defaultCheckpointFile } from './file-publisher.js';
import { defaultAuditKeyPath, loadAuditPublicKey, loadOrCreateAuditKey } from './key-file.js';

// Not test/helpers' tempHome: that module loads the whole policy stack.
const home = { dir: mkdtempSync(join(tmpdir(), 'esq-chain-')) };
after(() => rmSync(home.dir, { recursive: true, force: true }));
const head = { seq: 42, hash: 'c0'.repeat(32) };

describe('checkpoints', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');

  it('are signed with Ed25519 and verify with the public key', () => {
    const cp = signCheckpoint(head, privateKey, new Date('2026-01-01T00:00:00Z'));
    assert.deepEqual({ seq: cp.seq, hash: cp.hash, time: cp.time, keyId: cp.keyId }, { ...head, time: '2026-01-01T00:00:00.000Z', keyId: auditKeyId(publicKey) });
    assert.deepEqual(verifyCheckpoint(cp, publicKey), { ok: true });
    assert.deepEqual(verifyCheckpoint(cp, privateKey), { ok: true }, 'a private key also verifies (its public half is used)');
  });

  it('reject any altered field and a forged signature', () => {
    const cp = signCheckpoint(head, privateKey);
    for (const forged of [
      { ...cp, seq: 43 },
      { ...cp, hash: 'c1'.repeat(32) },
      { ...cp, time: '2030-01-01T00:00:00.000Z' },
      { ...cp, signature: Buffer.alloc(64, 1).toString('base64url') },
    ]) {
      const r = verifyCheckpoint(forged, publicKey);
      assert.equal(r.ok, false, JSON.stringify(forged));
      assert.match(r.reason!, /signature/);
    }
  });

  it('reject a checkpoint signed by another key, even one carrying the right keyId', () => {
    const other = generateKeyPairSync('ed25519');
    const byOther = signCheckpoint(head, other.privateKey);
    assert.match(verifyCheckpoint(byOther, publicKey).reason!, /not by the key given/);
    assert.match(verifyCheckpoint({ ...byOther, keyId: auditKeyId(publicKey) }, publicKey).reason!, /signature/);
  });

  it('refuse a non-Ed25519 key', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    assert.throws(() => signCheckpoint(head, rsa.privateKey), ConfigError);
  });
});

describe('audit key file', () => {
  it('is created once at <home>/keys/audit-ed25519.pem with 0600, with its public half beside it', () => {
    const k = loadOrCreateAuditKey({ home: home.dir });
    assert.equal(k.path, defaultAuditKeyPath(home.dir));
    assert.equal(k.path, join(home.dir, 'keys', 'audit-ed25519.pem'));
    assert.equal(statSync(k.path).mode & 0o777, 0o600);
    const again = loadOrCreateAuditKey({ home: home.dir });
    assert.equal(again.keyId, k.keyId);
    const cp = signCheckpoint(head, k.privateKey);
    assert.equal(verifyCheckpoint(cp, loadAuditPublicKey(k.publicPath)).ok, true);
    assert.doesNotMatch(readFileSync(k.publicPath, 'utf8'), /PRIVATE/);
    chmodSync(k.path, 0o644);
    loadOrCreateAuditKey({ home: home.dir });
    assert.equal(statSync(k.path).mode & 0o777, 0o600, 'a loosened key file is tightened');
  });

  it('lives where configured, and a damaged file is refused with advice', () => {
    const path = join(home.dir, 'elsewhere', 'signing.pem');
    const k = loadOrCreateAuditKey({ home: home.dir, path });
    assert.equal(k.path, path);
    assert.notEqual(k.keyId, loadOrCreateAuditKey({ home: home.dir }).keyId);
    writeFileSync(path, 'not a key');
    assert.throws(() => loadOrCreateAuditKey({ home: home.dir, path }), /delete it/);
  });
});

describe('file checkpoint publisher', () => {
  const { privateKey } = generateKeyPairSync('ed25519');

  it('appends JSON lines and reads the last one back', async () => {
    const pub = new FileCheckpointPublisher(defaultCheckpointFile(home.dir));
    assert.equal(await pub.latest(), undefined);
    const cps = [1, 2, 3].map((seq) => signCheckpoint({ seq, hash: String(seq).repeat(64) }, privateKey));
    for (const cp of cps) await pub.publish(cp);
    assert.deepEqual(await pub.latest(), cps[2]);
    const lines = readFileSync(pub.path, 'utf8').trimEnd().split('\n');
    assert.deepEqual(lines.map((l) => JSON.parse(l)), cps);
    assert.equal(statSync(pub.path).mode & 0o777, 0o600);
  });

  it('skips a torn last line, and the next checkpoint starts on a fresh line', async () => {
    const pub = new FileCheckpointPublisher(join(home.dir, 'torn', 'cp.jsonl'));
    const a = signCheckpoint({ seq: 1, hash: 'a'.repeat(64) }, privateKey);
    await pub.publish(a);
    appendFileSync(pub.path, '{"seq":2,"hash":"bbb');
    assert.deepEqual(await pub.latest(), a);
    const c = signCheckpoint({ seq: 3, hash: 'c'.repeat(64) }, privateKey);
    await pub.publish(c);
    assert.deepEqual(await pub.latest(), c);
  });

  it('finds the last checkpoint in a file larger than one read chunk', async () => {
    const pub = new FileCheckpointPublisher(join(home.dir, 'big', 'cp.jsonl'));
    const first = signCheckpoint({ seq: 1, hash: 'd'.repeat(64) }, privateKey);
    await pub.publish(first);
    appendFileSync(pub.path, 'x'.repeat(300 * 1024)); // a huge torn line after it
    assert.deepEqual(await pub.latest(), first);
  });
});
