import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COMPLETE_SCORE, TRUNCATED_SCORE, base64Count, privateKeyDetector, truncatedBodyEnd } from './private-key.js';
import { fakeBase64Bytes, fakePem, raw, spans } from './fixtures.js';

describe('privateKeyDetector', () => {
  it('reports whole blocks of every private-key label at 1.0', () => {
    for (const label of ['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY', 'DSA PRIVATE KEY', 'OPENSSH PRIVATE KEY', 'ENCRYPTED PRIVATE KEY', 'PGP PRIVATE KEY BLOCK']) {
      const pem = fakePem(label, 300, label.length);
      const text = `Here is the key:\n${pem}\nThanks.`;
      const fs = raw(privateKeyDetector, text);
      assert.deepEqual(spans(text, fs), [pem], label);
      assert.equal(fs[0]!.score, COMPLETE_SCORE);
    }
  });
  it('handles keys collapsed onto one line or JSON-escaped', () => {
    const oneLine = fakePem('RSA PRIVATE KEY', 200, 1, ' ');
    assert.deepEqual(spans(oneLine, raw(privateKeyDetector, oneLine)), [oneLine]);
    const escaped = fakePem('PRIVATE KEY', 200, 2, '\\n');
    const json = `{"key": "${escaped}\\n"}`;
    assert.deepEqual(spans(json, raw(privateKeyDetector, json)), [escaped]);
  });
  it('reports a truncated block (no END) over its base64, at a lower score', () => {
    const body = fakeBase64Bytes(150, 3).match(/.{1,64}/g)!.join('\n');
    const text = `-----BEGIN OPENSSH PRIVATE KEY-----\n${body}\n\nThanks, Bob`;
    const fs = raw(privateKeyDetector, text);
    assert.equal(fs.length, 1);
    assert.equal(fs[0]!.score, TRUNCATED_SCORE);
    assert.equal(text.slice(fs[0]!.start, fs[0]!.end), `-----BEGIN OPENSSH PRIVATE KEY-----\n${body}`);
  });
  it('keeps encryption headers inside a truncated block', () => {
    const text = `-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,${'AB12'.repeat(8)}\n\n${fakeBase64Bytes(120, 4)}`;
    const fs = raw(privateKeyDetector, text);
    assert.equal(fs.length, 1);
    assert.equal(fs[0]!.end, text.length);
  });
  it('treats a mismatched END or a following block as truncation', () => {
    const text = `-----BEGIN RSA PRIVATE KEY-----\n${fakeBase64Bytes(120, 5)}\n-----END PRIVATE KEY-----`;
    assert.equal(raw(privateKeyDetector, text)[0]!.score, TRUNCATED_SCORE);
    const two = `-----BEGIN PRIVATE KEY-----\n${fakeBase64Bytes(120, 6)}\n${fakePem('PRIVATE KEY', 120, 7)}`;
    assert.deepEqual(raw(privateKeyDetector, two).map((f) => f.score), [TRUNCATED_SCORE, COMPLETE_SCORE]);
  });
  it('ignores mentions, redacted blocks, public keys and certificates', () => {
    for (const text of [
      'Paste the -----BEGIN RSA PRIVATE KEY----- block here.',
      '-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----',
      '-----BEGIN RSA PRIVATE KEY-----\n<redacted>\n-----END RSA PRIVATE KEY-----',
      fakePem('PUBLIC KEY', 300, 8),
      fakePem('CERTIFICATE', 300, 9),
      '--BEGIN PRIVATE KEY--',
    ]) {
      assert.deepEqual(raw(privateKeyDetector, text), [], text);
    }
  });
  it('counts base64 characters and finds the end of a bare body', () => {
    assert.equal(base64Count('ab\\ncd\n+/=='), 8);
    assert.equal(truncatedBodyEnd('\nQUJD\nQUJD\n\nHello, world', 0), 10);
  });
});
