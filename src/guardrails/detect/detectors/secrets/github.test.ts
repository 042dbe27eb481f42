import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { CHECKSUM_FAILED_SCORE, base62, crc32, githubChecksumValid, githubDetector } from './github.js';
import { analyze, fakes, raw, spans } from './fixtures.js';

/** Base62 (0-9A-Za-z) of n, padded to 6 — computed independently of the module, with BigInt. */
function base62Ref(n: number): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  let v = BigInt(n);
  let s = '';
  while (v > 0n) {
    s = alphabet[Number(v % 62n)] + s;
    v /= 62n;
  }
  return s.padStart(6, '0');
}

/** A classic token with a valid checksum, built with Node's own CRC32. */
function validToken(prefix: string, seed: number): string {
  const random = fakes(seed)(30);
  return `${prefix}_${random}${base62Ref(zlibCrc32(random))}`;
}

/** The same token with its checksum's last character changed. */
function broken(token: string): string {
  const last = token[token.length - 1] === 'a' ? 'b' : 'a';
  return token.slice(0, -1) + last;
}

describe('GitHub checksum', () => {
  it('crc32 matches the IEEE check value and zlib', () => {
    assert.equal(crc32('123456789'), 0xcbf43926);
    for (const s of ['', 'a', fakes(9)(30)]) assert.equal(crc32(s), zlibCrc32(s));
  });
  it('base62 pads and matches the reference', () => {
    assert.equal(base62(0, 6), '000000');
    assert.equal(base62(61, 6), '00000z');
    assert.equal(base62(62, 6), '000010');
    assert.equal(base62(0xffffffff, 6), base62Ref(0xffffffff));
  });
  it('accepts tokens with a valid checksum and rejects altered ones', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const t = validToken('ghp', seed);
      assert.ok(githubChecksumValid(t), t);
      assert.ok(!githubChecksumValid(broken(t)), broken(t));
    }
  });
});

describe('githubDetector', () => {
  it('scores checksum-valid classic tokens of every type 1.0', () => {
    for (const prefix of ['ghp', 'gho', 'ghu', 'ghs', 'ghr']) {
      const t = validToken(prefix, prefix.charCodeAt(2));
      const text = `GITHUB_TOKEN=${t}\n`;
      const fs = raw(githubDetector, text);
      assert.deepEqual(spans(text, fs), [t]);
      assert.equal(fs[0]!.score, 1);
    }
  });
  it('keeps a checksum failure below the default threshold, even next to context words', () => {
    const t = broken(validToken('ghp', 3));
    const fs = raw(githubDetector, `my github token is ${t}`);
    assert.equal(fs.length, 1);
    assert.equal(fs[0]!.score, CHECKSUM_FAILED_SCORE);
    assert.deepEqual(analyze([githubDetector], `my github token is ${t}`), []);
  });
  it('reports fine-grained personal access tokens', () => {
    const r = fakes(4);
    const t = `github_pat_${r(22)}_${r(59)}`;
    const text = `"token": "${t}"`;
    const fs = raw(githubDetector, text);
    assert.deepEqual(spans(text, fs), [t]);
    assert.equal(fs[0]!.score, 0.9);
  });
  it('ignores placeholders, wrong lengths and tokens inside longer words', () => {
    const t = validToken('ghp', 5);
    for (const text of ['ghp_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX', `${t}x`, t.slice(0, -1), `xx${t}`, `github_pat_${'x'.repeat(22)}_${'x'.repeat(59)}`, 'gh_pages_branch_name']) {
      assert.deepEqual(raw(githubDetector, text), [], text);
    }
  });
});
