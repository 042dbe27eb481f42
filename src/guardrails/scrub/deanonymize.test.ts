import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, InvalidInputError } from '../../errors.js';
import type { Finding } from '../detect/types.js';
import { deanonymize } from './deanonymize.js';
import { hkdfScrubKeys } from './keys.js';
import { parseOperatorAssignments } from './registry.js';
import { scrub } from './scrub.js';
import { TokenMap } from './token-map.js';

const keys = hkdfScrubKeys(Buffer.alloc(32, 5));
const text = 'Patient Ann Lee (SSN 078-05-1120) saw Dr Bob Roe; Ann Lee paid.';
const find = (value: string, entity: string, from = 0): Finding => {
  const start = text.indexOf(value, from);
  return { entity, start, end: start + value.length, score: 0.9, detector: 'test' };
};
const findings = [find('Ann Lee', 'PERSON'), find('078-05-1120', 'US_SSN'), find('Bob Roe', 'PERSON'), find('Ann Lee', 'PERSON', 40)];
const operators = parseOperatorAssignments(['PERSON=tokenize', 'US_SSN=encrypt']);
const scrubbed = (tenant = 'acme') => scrub(text, findings, { operators, keys, tenant });
const mustFail = (fn: () => unknown, pattern: RegExp): void => {
  assert.throws(fn, (e: unknown) => e instanceof InvalidInputError && pattern.test(e.message));
};

describe('deanonymize', () => {
  it('restores encrypted and tokenized values and reports where they are', () => {
    const out = scrubbed();
    assert.match(out.text, /^Patient <PERSON_1> \(SSN ENC\[v1:US_SSN:[A-Za-z0-9_-]+\]\) saw Dr <PERSON_2>; <PERSON_1> paid\.$/);
    const back = deanonymize(out.text, { keys, tenant: 'acme', tokenMap: out.tokenMap! });
    assert.equal(back.text, text);
    assert.deepEqual(
      back.items.map((i) => [i.entity, back.text.slice(i.start, i.end), i.operator]),
      [['PERSON', 'Ann Lee', 'tokenize'], ['US_SSN', '078-05-1120', 'encrypt'], ['PERSON', 'Bob Roe', 'tokenize'], ['PERSON', 'Ann Lee', 'tokenize']],
    );
    assert.deepEqual(back.unresolved, []);
  });

  it('works on text a model rewrote around the tokens, and leaves unknown tokens', () => {
    const out = scrubbed();
    const reply = 'Summary: <PERSON_2> treated <PERSON_1>; <PERSON_9> was not there.';
    const back = deanonymize(reply, { keys, tenant: 'acme', tokenMap: out.tokenMap! });
    assert.equal(back.text, 'Summary: Bob Roe treated Ann Lee; <PERSON_9> was not there.');
    assert.deepEqual(back.unresolved, ['<PERSON_9>']);
  });

  it('without a token map leaves tokens alone', () => {
    assert.equal(deanonymize('<PERSON_1> and <US_SSN>').text, '<PERSON_1> and <US_SSN>');
  });

  it('fails clearly on a wrong tenant or a wrong key, never returning garbage', () => {
    const enc = /ENC\[[^\]]+\]/.exec(scrubbed().text)![0];
    mustFail(() => deanonymize(`x ${enc}`, { keys, tenant: 'globex' }), /cannot decrypt.*\(at offset 2\)/);
    mustFail(() => deanonymize(enc, { keys: hkdfScrubKeys(Buffer.alloc(32, 6)), tenant: 'acme' }), /cannot decrypt/);
  });

  it('fails when a token is relabelled as another entity (associated data)', () => {
    const enc = /ENC\[[^\]]+\]/.exec(scrubbed().text)![0];
    mustFail(() => deanonymize(enc.replace('US_SSN', 'US_ITIN'), { keys, tenant: 'acme' }), /cannot decrypt/);
  });

  it('fails on tampered ciphertext, anywhere in the payload', () => {
    const enc = /ENC\[v1:US_SSN:([^\]]+)\]/.exec(scrubbed().text)!;
    const payload = enc[1]!;
    for (const i of [0, 10, 20, payload.length - 2]) {
      const c = payload[i] === 'A' ? 'B' : 'A';
      const tampered = `ENC[v1:US_SSN:${payload.slice(0, i)}${c}${payload.slice(i + 1)}]`;
      mustFail(() => deanonymize(tampered, { keys, tenant: 'acme' }), /cannot decrypt/);
    }
    mustFail(() => deanonymize('ENC[v1:US_SSN:AAAA]', { keys, tenant: 'acme' }), /cannot decrypt/);
  });

  it('needs keys when the text holds ENC tokens', () => {
    assert.throws(() => deanonymize(scrubbed().text, { tenant: 'acme' }), ConfigError);
  });

  it("refuses another tenant's token map", () => {
    mustFail(() => deanonymize('<PERSON_1>', { tenant: 'globex', tokenMap: new TokenMap('acme') }), /tenant "acme"/);
  });

  it('does not reread a restored value as a token', () => {
    const tricky = 'ENC[v1:X:AAAA] and <PERSON_1>';
    const out = scrub(tricky, [{ entity: 'NOTE', start: 0, end: tricky.length, score: 1, detector: 't' }], { defaultOperator: parseOperatorAssignments(['NOTE=encrypt']).NOTE!, keys });
    assert.equal(deanonymize(out.text, { keys }).text, tricky);
  });
});
