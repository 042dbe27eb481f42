import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { tempHome } from '../../../test/helpers.js';
import { ConfigError, InvalidInputError } from '../../errors.js';
import { DecryptionError, open, seal } from './aead.js';
import type { CryptoContext } from './context.js';
import { EnvelopeCrypto } from './envelope.js';
import { Keyring } from './keyring.js';
import { LocalKms, type KmsProvider } from './kms.js';
import { openEnvelopeCrypto } from './open.js';

const homes: Array<{ cleanup: () => void }> = [];
after(() => homes.forEach((h) => h.cleanup()));
const newHome = (): string => {
  const h = tempHome('esq-crypto-');
  homes.push(h);
  return h.dir;
};
const masterEnv = (): NodeJS.ProcessEnv => ({ ESQ_MASTER_KEY: randomBytes(32).toString('base64') });
const ctx = (over: Partial<CryptoContext> = {}): CryptoContext => ({ objectId: 'patient/42', classification: 'esq:kms:pii-high', purpose: 'vault.secret', ...over });

describe('AES-256-GCM', () => {
  const key = randomBytes(32);
  it('round-trips and refuses other associated data or altered bytes', () => {
    const s = seal(key, Buffer.from('hello'), Buffer.from('ctx-a'));
    assert.equal(open(key, s, Buffer.from('ctx-a')).toString(), 'hello');
    assert.throws(() => open(key, s, Buffer.from('ctx-b')), DecryptionError);
    const t = Buffer.from(s);
    t[20] = t[20]! ^ 1;
    assert.throws(() => open(key, t, Buffer.from('ctx-a')), DecryptionError);
    assert.throws(() => open(randomBytes(32), s, Buffer.from('ctx-a')), DecryptionError);
  });
  it('uses a fresh IV each time', () => assert.notDeepEqual(seal(key, Buffer.from('x'), Buffer.alloc(0)), seal(key, Buffer.from('x'), Buffer.alloc(0))));
});

describe('envelope encryption', () => {
  it('binds the ciphertext to object id, classification and purpose', async () => {
    const { crypto, close } = openEnvelopeCrypto({ home: newHome(), env: masterEnv() });
    const sealed = await crypto.encrypt(Buffer.from('SSN 123-45-6789'), ctx());
    assert.equal((await crypto.decrypt(sealed, ctx())).toString(), 'SSN 123-45-6789');
    for (const wrong of [{ objectId: 'patient/43' }, { purpose: 'export' }]) {
      await assert.rejects(crypto.decrypt(sealed, ctx(wrong)), DecryptionError, JSON.stringify(wrong));
    }
    await assert.rejects(crypto.decrypt(sealed, ctx({ classification: 'esq:kms:internal' })), DecryptionError);
    // A data key lifted onto another object's ciphertext does not open it.
    const other = await crypto.encrypt(Buffer.from('other'), ctx({ objectId: 'patient/43' }));
    await assert.rejects(crypto.decrypt({ ...other, dek: sealed.dek }, ctx({ objectId: 'patient/43' })), DecryptionError);
    close();
  });
  it('refuses malformed classifications', async () => {
    const { crypto, close } = openEnvelopeCrypto({ home: newHome(), env: masterEnv() });
    await assert.rejects(crypto.encrypt(Buffer.from('x'), ctx({ classification: 'pii-high' })), InvalidInputError);
    close();
  });
});

describe('rotation and retirement', () => {
  it('keeps old data readable, re-wraps without re-encrypting, then retires the old KEK', async () => {
    const home = newHome();
    const env = masterEnv();
    const { crypto, keyring, close } = openEnvelopeCrypto({ home, env });
    const old = await crypto.encrypt(Buffer.from('before rotation'), ctx());
    assert.equal(old.kek, 1);
    assert.equal(await keyring.rotate('esq:kms:pii-high'), 2);
    assert.equal((await crypto.decrypt(old, ctx())).toString(), 'before rotation', 'old data stays readable');
    const fresh = await crypto.encrypt(Buffer.from('after'), ctx({ objectId: 'o2' }));
    assert.equal(fresh.kek, 2);

    const rewrapped = await crypto.rewrap(old, ctx());
    assert.equal(rewrapped.kek, 2);
    assert.equal(rewrapped.ct, old.ct, 'the data ciphertext is untouched');
    assert.notEqual(rewrapped.dek, old.dek);
    assert.equal((await crypto.decrypt(rewrapped, ctx())).toString(), 'before rotation');

    let users = 1;
    await assert.rejects(keyring.retire('esq:kms:pii-high', 1, () => users), /still use/);
    await assert.rejects(keyring.retire('esq:kms:pii-high', 2, () => 0), /current version/);
    users = 0;
    await keyring.retire('esq:kms:pii-high', 1, () => users);
    await assert.rejects(crypto.decrypt(old, ctx()), (e: unknown) => e instanceof ConfigError && /retired/.test(e.message));
    assert.equal((await crypto.decrypt(rewrapped, ctx())).toString(), 'before rotation');
    const file = JSON.parse(readFileSync(keyring.path, 'utf8'));
    const v1 = file.classes['esq:kms:pii-high'].versions[0];
    assert.equal(v1.state, 'retired');
    assert.equal(v1.wrapped, undefined, 'the retired key material is gone');
    close();
    // A new process (new keyring instance) sees the same state.
    const again = openEnvelopeCrypto({ home, env });
    assert.equal((await again.crypto.decrypt(rewrapped, ctx())).toString(), 'before rotation');
    assert.deepEqual(again.keyring.describe()[0]!.versions.map((v) => v.state), ['retired', 'active']);
    again.close();
  });

  it('a second process sees a rotation made by the first', async () => {
    const home = newHome();
    const env = masterEnv();
    const a = openEnvelopeCrypto({ home, env });
    const b = openEnvelopeCrypto({ home, env });
    await a.crypto.encrypt(Buffer.from('x'), ctx());
    await a.keyring.rotate('esq:kms:pii-high');
    const sealed = await a.crypto.encrypt(Buffer.from('under v2'), ctx());
    assert.equal((await b.crypto.decrypt(sealed, ctx())).toString(), 'under v2');
    assert.equal((await b.crypto.encrypt(Buffer.from('y'), ctx())).kek, 2);
    a.close();
    b.close();
  });

  it('two processes creating the first KEK at once agree on it (file lock)', async () => {
    const home = newHome();
    const env = masterEnv();
    const a = openEnvelopeCrypto({ home, env });
    const b = openEnvelopeCrypto({ home, env });
    const [ka, kb] = await Promise.all([a.keyring.current('esq:kms:internal'), b.keyring.current('esq:kms:internal')]);
    assert.equal(ka.version, 1);
    assert.equal(kb.version, 1);
    assert.ok(ka.key.equals(kb.key));
    a.close();
    b.close();
  });
});

describe('keyring file and master key', () => {
  it('stores KEKs only wrapped, 0600, and refuses another master key', async () => {
    const home = newHome();
    const { keyring, close } = openEnvelopeCrypto({ home, env: masterEnv() });
    const { key } = await keyring.current('esq:kms:pii-high');
    const text = readFileSync(keyring.path, 'utf8');
    assert.equal(statSync(keyring.path).mode & 0o777, 0o600);
    for (const form of [key.toString('base64'), key.toString('hex'), key.toString('base64url')]) assert.ok(!text.includes(form));
    assert.equal(JSON.parse(text).format, 'esq.keyring/v1');
    close();
    assert.throws(() => openEnvelopeCrypto({ home, env: masterEnv() }), (e: unknown) => e instanceof ConfigError && /root key/.test(e.message));
  });
  it('without ESQ_MASTER_KEY, creates keys/master.key with 0600', async () => {
    const home = newHome();
    const { crypto, close } = openEnvelopeCrypto({ home, env: {} });
    const s = await crypto.encrypt(Buffer.from('x'), ctx());
    close();
    const keyFile = join(home, 'keys', 'master.key');
    assert.equal(statSync(keyFile).mode & 0o777, 0o600);
    const again = openEnvelopeCrypto({ home, env: {} });
    assert.equal((await again.crypto.decrypt(s, ctx())).toString(), 'x');
    again.close();
  });
  it('with ESQ_MASTER_KEY, writes no master key file', () => {
    const home = newHome();
    openEnvelopeCrypto({ home, env: masterEnv() }).close();
    assert.equal(existsSync(join(home, 'keys', 'master.key')), false);
  });
  it('accepts a KMS plug-in in place of the local master key', async () => {
    const calls: string[] = [];
    const inner = new LocalKms(randomBytes(32));
    const cloud: KmsProvider = {
      keyId: 'arn:test:kms:key/1',
      wrap: async (k, aad) => (calls.push('wrap'), inner.wrap(k, aad)),
      unwrap: async (w, aad) => (calls.push('unwrap'), inner.unwrap(w, aad)),
    };
    const home = newHome();
    const k1 = new Keyring({ path: join(home, 'kr.json'), kms: cloud });
    const sealed = await new EnvelopeCrypto(k1).encrypt(Buffer.from('via kms'), ctx());
    const k2 = new Keyring({ path: join(home, 'kr.json'), kms: cloud });
    assert.equal((await new EnvelopeCrypto(k2).decrypt(sealed, ctx())).toString(), 'via kms');
    assert.deepEqual(calls, ['wrap', 'unwrap']);
    assert.equal(JSON.parse(readFileSync(join(home, 'kr.json'), 'utf8')).kms, 'arn:test:kms:key/1');
  });
});

describe('sealed data-key files (how scrub keys can sit under the hierarchy)', () => {
  it('gives the same key across reopen and rotation, never stored in the clear', async () => {
    const { hkdfScrubKeys } = await import('../../guardrails/scrub/keys.js');
    const { loadOrCreateDataKey, rewrapDataKeyFile } = await import('./data-key-file.js');
    const home = newHome();
    const env = masterEnv();
    const path = join(home, 'keys', 'scrub-master.sealed.json');
    const a = openEnvelopeCrypto({ home, env });
    const k1 = await loadOrCreateDataKey(a.crypto, path, 'scrub-master', 'esq:kms:internal');
    const hashKey = hkdfScrubKeys(k1).key('hash', 'tenant-a');
    await a.keyring.rotate('esq:kms:internal');
    assert.equal(await rewrapDataKeyFile(a.crypto, path, 'scrub-master', 'esq:kms:internal'), true);
    await a.keyring.retire('esq:kms:internal', 1, () => 0);
    a.close();
    const b = openEnvelopeCrypto({ home, env });
    const k2 = await loadOrCreateDataKey(b.crypto, path, 'scrub-master', 'esq:kms:internal');
    assert.ok(k2.equals(k1));
    assert.ok(hkdfScrubKeys(k2).key('hash', 'tenant-a').equals(hashKey), 'scrub keys are unchanged by rotation');
    const text = readFileSync(path, 'utf8');
    assert.ok(!text.includes(k1.toString('base64')) && !text.includes(k1.toString('hex')));
    assert.equal(statSync(path).mode & 0o777, 0o600);
    b.close();
  });
});
