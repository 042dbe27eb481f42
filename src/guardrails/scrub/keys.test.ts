import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigError, InvalidInputError } from '../../errors.js';
import { hkdfScrubKeys, loadMasterKey, loadScrubKeys, parseMasterKey } from './keys.js';

const homes: string[] = [];
const newHome = (): string => {
  const h = mkdtempSync(join(tmpdir(), 'esq-scrub-keys-'));
  homes.push(h);
  return h;
};
after(() => homes.forEach((h) => rmSync(h, { recursive: true, force: true })));

describe('scrub keys', () => {
  it('creates the master key file 0600 on first use and reuses it', () => {
    const home = newHome();
    const file = join(home, 'keys', 'scrub-master.key');
    assert.equal(existsSync(file), false);
    const first = loadMasterKey({ home, env: {} });
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(first.length, 32);
    assert.deepEqual(loadMasterKey({ home, env: {} }), first);
    assert.deepEqual(loadScrubKeys({ home, env: {} }).key('hash', 't'), hkdfScrubKeys(first).key('hash', 't'));
  });

  it('prefers ESQ_MASTER_KEY and then writes no file; an empty value counts as unset', () => {
    const home = newHome();
    const master = randomBytes(32);
    assert.deepEqual(loadMasterKey({ home, env: { ESQ_MASTER_KEY: master.toString('base64') } }), master);
    assert.deepEqual(loadMasterKey({ home, env: { ESQ_MASTER_KEY: ` ${master.toString('base64url')}\n` } }), master);
    assert.equal(existsSync(join(home, 'keys', 'scrub-master.key')), false);
    loadMasterKey({ home, env: { ESQ_MASTER_KEY: '' } });
    assert.equal(existsSync(join(home, 'keys', 'scrub-master.key')), true);
  });

  it('rejects a short or non-base64 ESQ_MASTER_KEY with ConfigError', () => {
    const home = newHome();
    for (const bad of [randomBytes(31).toString('base64'), randomBytes(16).toString('base64'), 'not base64!', 'abc=def']) {
      assert.throws(() => loadMasterKey({ home, env: { ESQ_MASTER_KEY: bad } }), ConfigError, bad);
    }
    assert.throws(() => parseMasterKey(randomBytes(31).toString('base64')), /31 bytes; at least 32/);
  });

  it('rejects a key file shorter than 32 bytes', () => {
    const home = newHome();
    loadMasterKey({ home, env: {} });
    writeFileSync(join(home, 'keys', 'scrub-master.key'), randomBytes(24).toString('base64'));
    assert.throws(() => loadMasterKey({ home, env: {} }), ConfigError);
  });

  it('derives distinct, stable 32-byte keys per tenant and purpose, never the master itself', () => {
    const master = randomBytes(32);
    const keys = hkdfScrubKeys(master);
    const derived = [keys.key('hash', 'a'), keys.key('hash', 'b'), keys.key('encrypt', 'a'), keys.key('encrypt', 'b')];
    assert.equal(new Set(derived.map((k) => k.toString('hex'))).size, 4);
    for (const k of derived) {
      assert.equal(k.length, 32);
      assert.notDeepEqual(k, master);
    }
    assert.deepEqual(hkdfScrubKeys(master).key('hash', 'a'), derived[0]);
    // Tenants that differ only past a separator-like character still get different keys.
    assert.notDeepEqual(keys.key('hash', 'a:b'), keys.key('hash', 'a'));
    assert.equal(keys.key('hash', 'x'.repeat(5000)).length, 32);
  });

  it('rejects a short master key and an empty tenant', () => {
    assert.throws(() => hkdfScrubKeys(randomBytes(16)), ConfigError);
    assert.throws(() => hkdfScrubKeys(randomBytes(32)).key('hash', ''), InvalidInputError);
  });
});
