import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { Analyzer } from '../analyzer.js';
import { base58CheckValid, bech32Valid, bitcoinAddressValid, bitcoinMatches, cryptoDetector, ethereumAddressValid } from './crypto.js';

const analyzer = new Analyzer([cryptoDetector]);
const raw = (text: string) => analyzer.analyze(text, { minScore: 0, context: false }).map((f) => [text.slice(f.start, f.end), f.score]);

// Presidio's Bitcoin pattern (case-insensitive), used only on short inputs as the reference.
const PRESIDIO_BTC = /(bc1|[13])[a-zA-HJ-NP-Z0-9]{25,59}/gi;

/** Base58Check encoding of a payload, to build addresses of any length. */
function base58Check(payload: Buffer): string {
  const sha = (b: Buffer) => createHash('sha256').update(b).digest();
  const bytes = Buffer.concat([payload, sha(sha(payload)).subarray(0, 4)]);
  let n = BigInt(`0x${bytes.toString('hex')}`);
  let out = '';
  while (n > 0n) {
    out = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'[Number(n % 58n)] + out;
    n /= 58n;
  }
  for (const b of bytes) {
    if (b !== 0) break;
    out = `1${out}`;
  }
  return out;
}

function seeded(seed: number) {
  return () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
}

describe('CRYPTO', () => {
  it('validates Base58Check addresses', () => {
    assert.equal(base58CheckValid('16Yeky6GMjeNkAiNcBY7ZhrLoMSgg1BoyZ'), true);
    assert.equal(base58CheckValid('1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2'), true);
    assert.equal(base58CheckValid('3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy'), true);
    assert.equal(base58CheckValid('1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3'), false, 'one character changed');
    assert.equal(base58CheckValid('1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN0'), false, '0 is not Base58');
    const hash = Buffer.from('00112233445566778899aabbccddeeff00112233', 'hex');
    assert.equal(base58CheckValid(base58Check(Buffer.concat([Buffer.from([0]), hash]))), true, 'version 0 + 20 bytes');
    assert.equal(base58CheckValid(base58Check(Buffer.concat([Buffer.from([5]), hash]))), true, 'version 5 + 20 bytes');
    assert.equal(base58CheckValid(base58Check(Buffer.concat([Buffer.from([5, 1]), hash]))), false, 'one byte too many');
  });

  it('validates Bech32 and Bech32m addresses', () => {
    assert.equal(bech32Valid('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4'), true);
    assert.equal(bech32Valid('BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4'), true);
    assert.equal(bech32Valid('bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0'), true);
    assert.equal(bech32Valid('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5'), false, 'checksum');
    assert.equal(bech32Valid('bc1qw508d6qejxtdg4y5r3zarvaRy0c5xw7kv8f3t4'), false, 'mixed case');
    assert.equal(bech32Valid('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3tb'), false, 'b is not Bech32');
  });

  it('validates EIP-55 Ethereum addresses and, as Presidio, rejects unchecksummed ones', () => {
    for (const a of ['0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed', '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359', '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB', '0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb', '0x52908400098527886E0F7030069857D2E4169EE7'])
      assert.equal(ethereumAddressValid(a), true, a);
    assert.equal(ethereumAddressValid('0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed'), false);
    assert.equal(ethereumAddressValid('0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD'), false);
  });

  it('emulates Presidio’s Bitcoin matching inside runs of letters and digits', () => {
    const rnd = seeded(9);
    const alphabet = '13bcBC1qxyz0O';
    for (let i = 0; i < 3000; i++) {
      let s = '';
      const len = 20 + Math.floor(rnd() * 120);
      for (let k = 0; k < len; k++) s += alphabet[Math.floor(rnd() * alphabet.length)];
      const expected = [...s.matchAll(PRESIDIO_BTC)].map((m) => [m.index, m.index + m[0].length]);
      assert.deepEqual(bitcoinMatches(s), expected, s);
    }
  });

  it('reports valid addresses at 1.0, with or without surrounding text', () => {
    assert.deepEqual(raw('16Yeky6GMjeNkAiNcBY7ZhrLoMSgg1BoyZ 3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy'), [
      ['16Yeky6GMjeNkAiNcBY7ZhrLoMSgg1BoyZ', 1],
      ['3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy', 1],
    ]);
    assert.deepEqual(raw('send to bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297.'), [['bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297', 1]]);
    assert.deepEqual(raw('eth:0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed'), [['0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed', 1]]);
    assert.equal(bitcoinAddressValid('16Yeky6GMjeNkAiNcBY7ZhrLoMSgg1BoyZ2'), false);
    assert.deepEqual(raw('my wallet address is: 16Yeky6GMjeNkAiNcBY7ZhrLoMSgg1BoyZ2'), []);
  });

  it('is not reported for hashes and other hex', () => {
    assert.deepEqual(
      raw('sha 8f953371d3e85eddb89b05ed6b9e680791055315c73e1025ab5dba7bb2aee189, tx 0x8f953371d3e85eddb89b05ed6b9e680791055315c7'),
      [],
    );
  });
});
