import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidInputError } from '../../errors.js';
import { checkNewPassword, hashPassword, verifyPassword } from './passwords.js';

// A cheap cost keeps the suite fast; the format and the checks are the same at the default cost.
const cheap = { N: 1024, r: 8, p: 1 };

describe('console passwords', () => {
  it('hash with scrypt and a fresh salt per hash, and verify only the right password', async () => {
    const a = await hashPassword('correct horse battery staple', cheap);
    const b = await hashPassword('correct horse battery staple', cheap);
    assert.match(a, /^scrypt\$1024\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    assert.notEqual(a, b, 'per-user salt: equal passwords give different hashes');
    assert.equal(await verifyPassword('correct horse battery staple', a), true);
    assert.equal(await verifyPassword('correct horse battery staple', b), true);
    assert.equal(await verifyPassword('correct horse battery stapler', a), false);
    assert.equal(await verifyPassword('', a), false);
    assert.doesNotMatch(a, /horse/);
  });

  it('uses the default cost (N = 2^15) unless told otherwise', async () => {
    const h = await hashPassword('correct horse battery staple');
    assert.match(h, /^scrypt\$32768\$8\$1\$/);
    assert.equal(await verifyPassword('correct horse battery staple', h), true);
  });

  it('treats text that is not one of its hashes as a mismatch, including absurd costs', async () => {
    const good = await hashPassword('correct horse battery staple', cheap);
    const [, , r, p, salt, key] = good.split('$');
    for (const bad of ['', 'plaintext', 'bcrypt$x', `scrypt$1000$${r}$${p}$${salt}$${key}`, `scrypt$${2 ** 24}$${r}$${p}$${salt}$${key}`, `scrypt$1024$${r}$${p}$$${key}`, `scrypt$1024$${r}$${p}$${salt}$`]) {
      assert.equal(await verifyPassword('correct horse battery staple', bad), false, bad);
    }
  });

  it('refuses new passwords shorter than 12 characters', () => {
    assert.throws(() => checkNewPassword('short-pw'), InvalidInputError);
    assert.throws(() => checkNewPassword('x'.repeat(2000)), InvalidInputError);
    assert.doesNotThrow(() => checkNewPassword('twelve chars'));
  });
});
