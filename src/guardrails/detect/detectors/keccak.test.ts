import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { keccak256 } from './keccak.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('keccak256', () => {
  it('matches the published Keccak-256 vectors', () => {
    assert.equal(hex(keccak256(Buffer.from(''))), 'c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470');
    assert.equal(hex(keccak256(Buffer.from('abc'))), '4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45');
  });

  it('with the SHA-3 padding byte, agrees with Node’s SHA3-256 across block boundaries', () => {
    for (const n of [0, 1, 135, 136, 137, 272, 500]) {
      const data = Buffer.alloc(n, 0x61 + (n % 26));
      assert.equal(hex(keccak256(data, 0x06)), createHash('sha3-256').update(data).digest('hex'), `length ${n}`);
    }
  });
});
