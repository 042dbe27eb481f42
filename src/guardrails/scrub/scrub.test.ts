import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, InvalidInputError } from '../../errors.js';
import type { Finding } from '../detect/types.js';
import { deanonymize } from './deanonymize.js';
import { hkdfScrubKeys } from './keys.js';
import { parseOperatorAssignments, parseOperatorSpec } from './registry.js';
import { resolveOverlaps, scrub } from './scrub.js';
import { TokenMap } from './token-map.js';

const keys = hkdfScrubKeys(Buffer.alloc(32, 9));
const f = (entity: string, start: number, end: number, score = 0.9, detector = 'd'): Finding => ({ entity, start, end, score, detector });
const at = (text: string, value: string, entity: string, score = 0.9): Finding => {
  const start = text.indexOf(value);
  assert.ok(start >= 0, `${value} in text`);
  return f(entity, start, start + value.length, score);
};

describe('scrub', () => {
  const text = 'Ann Lee, SSN 078-05-1120, mail ann@x.example, call 555-123-4567.';
  const findings = [at(text, 'Ann Lee', 'PERSON'), at(text, '078-05-1120', 'US_SSN'), at(text, 'ann@x.example', 'EMAIL_ADDRESS'), at(text, '555-123-4567', 'PHONE_NUMBER')];

  it('applies the operator per entity and replace(<ENTITY>) by default', () => {
    const operators = parseOperatorAssignments(['US_SSN=mask:4', 'EMAIL_ADDRESS=redact', 'PERSON=replace:[NAME]']);
    const out = scrub(text, findings, { operators });
    assert.equal(out.text, '[NAME], SSN ***-**-1120, mail , call <PHONE_NUMBER>.');
    assert.deepEqual(
      out.items.map((i) => [i.entity, out.text.slice(i.start, i.end), i.operator]),
      [['PERSON', '[NAME]', 'replace'], ['US_SSN', '***-**-1120', 'mask'], ['EMAIL_ADDRESS', '', 'redact'], ['PHONE_NUMBER', '<PHONE_NUMBER>', 'replace']],
    );
    assert.equal(out.tokenMap, undefined);
  });

  it('uses the given default operator', () => {
    const out = scrub(text, findings, { defaultOperator: parseOperatorSpec('hash'), keys, tenant: 'acme' });
    assert.equal(out.items.length, 4);
    for (const i of out.items) assert.match(out.text.slice(i.start, i.end), new RegExp(`^<${i.entity}:hmac:[0-9a-f]{16}>$`));
  });

  it('leaves no plaintext of an encrypted value in the output', () => {
    const out = scrub(text, findings, { defaultOperator: parseOperatorSpec('encrypt'), keys, tenant: 'acme' });
    for (const v of ['Ann', 'Lee', '078', '1120', 'ann@', 'x.example', '4567']) assert.ok(!out.text.includes(v), v);
    assert.equal(deanonymize(out.text, { keys, tenant: 'acme' }).text, text);
  });

  it('needs keys for hash and encrypt', () => {
    assert.throws(() => scrub(text, findings, { defaultOperator: parseOperatorSpec('hash') }), ConfigError);
  });

  it('tokenizes consistently within a document and returns the map it made', () => {
    const t = 'Ann met Bob; Ann left.';
    const out = scrub(t, [f('PERSON', 0, 3), f('PERSON', 8, 11), f('PERSON', 13, 16)], { defaultOperator: parseOperatorSpec('tokenize') });
    assert.equal(out.text, '<PERSON_1> met <PERSON_2>; <PERSON_1> left.');
    assert.ok(out.tokenMap);
    assert.equal(deanonymize(out.text, { tokenMap: out.tokenMap }).text, t);
  });

  it('keeps numbering across calls sharing a map, and independent across maps', () => {
    const tok = { defaultOperator: parseOperatorSpec('tokenize') };
    const shared = new TokenMap('acme');
    const a = scrub('Ann', [f('PERSON', 0, 3)], { ...tok, tenant: 'acme', tokenMap: shared });
    const b = scrub('Bob and Ann', [f('PERSON', 0, 3), f('PERSON', 8, 11)], { ...tok, tenant: 'acme', tokenMap: shared });
    assert.equal(a.text, '<PERSON_1>');
    assert.equal(b.text, '<PERSON_2> and <PERSON_1>');
    assert.equal(b.tokenMap, shared);
    const fresh = scrub('Bob and Ann', [f('PERSON', 0, 3), f('PERSON', 8, 11)], { ...tok, tenant: 'acme', tokenMap: new TokenMap('acme') });
    assert.equal(fresh.text, '<PERSON_1> and <PERSON_2>');
    assert.equal(shared.valueOf('<PERSON_1>'), 'Ann');
    assert.throws(() => scrub('Ann', [f('PERSON', 0, 3)], { ...tok, tenant: 'globex', tokenMap: shared }), InvalidInputError);
  });

  it('rejects findings outside the text and ignores empty ones', () => {
    for (const bad of [f('X', -1, 2), f('X', 2, 1), f('X', 0, 99), f('X', 0.5, 2), f('X', 0, 1, Number.NaN)]) {
      assert.throws(() => scrub('abc', [bad]), InvalidInputError);
    }
    assert.deepEqual(scrub('abc', [f('X', 1, 1)]), { text: 'abc', items: [] });
  });
});

describe('overlap resolution', () => {
  const spans = (fs: Finding[]): string[] => resolveOverlaps(fs).map((x) => `${x.entity}@${x.start}-${x.end}`);

  it('prefers the higher score, then the longer span, then the earlier start', () => {
    assert.deepEqual(spans([f('A', 0, 10, 0.5), f('B', 5, 8, 0.9)]), ['B@5-8']);
    assert.deepEqual(spans([f('A', 0, 4, 0.9), f('B', 2, 8, 0.9)]), ['B@2-8']);
    assert.deepEqual(spans([f('A', 3, 7, 0.9), f('B', 1, 5, 0.9)]), ['B@1-5']);
    assert.deepEqual(spans([f('B', 1, 5, 0.9), f('A', 1, 5, 0.9)]), ['A@1-5']);
  });

  it('drops a finding that overlaps a chosen one, keeps touching and later ones', () => {
    // B loses to A; C overlaps only the dropped B, so it stays.
    assert.deepEqual(spans([f('A', 0, 5, 0.9), f('B', 4, 9, 0.8), f('C', 8, 12, 0.7), f('D', 12, 14, 0.1)]), ['A@0-5', 'C@8-12', 'D@12-14']);
  });
});

/** A small seeded generator, so a failing case can be replayed. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('scrub properties over random findings', () => {
  const ENTITIES = ['PERSON', 'US_SSN', 'EMAIL_ADDRESS', 'PHONE_NUMBER', 'IBAN_CODE', 'LOCATION'];
  const operators = parseOperatorAssignments(['PERSON=tokenize', 'US_SSN=hash', 'EMAIL_ADDRESS=encrypt', 'PHONE_NUMBER=redact', 'IBAN_CODE=replace:[X]']);
  const overlaps = (a: Finding, b: Finding): boolean => a.start < b.end && b.start < a.end;

  function randomCase(r: () => number): { text: string; words: Array<[number, number]>; findings: Finding[] } {
    const int = (n: number): number => Math.floor(r() * n);
    const words: Array<[number, number]> = [];
    let text = '';
    for (let i = 0, n = 5 + int(25); i < n; i++) {
      if (text) text += ' ';
      // Letters g-z: never inside a hex digest; inside base64url only with odds around 64^-8.
      const w = Array.from({ length: 8 + int(4) }, () => String.fromCharCode(103 + int(20))).join('');
      words.push([text.length, text.length + w.length]);
      text += w;
    }
    const findings: Finding[] = [];
    for (let i = 0, n = int(20); i < n; i++) {
      const first = int(words.length);
      const last = Math.min(words.length - 1, first + int(3));
      findings.push(f(ENTITIES[int(ENTITIES.length)]!, words[first]![0], words[last]![1], [0.3, 0.6, 0.85, 1][int(4)], `det${int(2)}`));
    }
    return { text, words, findings };
  }

  it('never leaks a chosen value, keeps the rest, and ignores input order (500 random cases)', () => {
    const r = rng(20240611);
    for (let c = 0; c < 500; c++) {
      const { text, findings } = randomCase(r);
      const chosen = resolveOverlaps(findings);
      // Chosen findings are disjoint, and every dropped one overlaps a chosen one.
      chosen.forEach((a, i) => chosen.slice(i + 1).forEach((b) => assert.ok(!overlaps(a, b))));
      for (const x of findings) if (x.end > x.start && !chosen.includes(x)) assert.ok(chosen.some((y) => overlaps(x, y)));

      const out = scrub(text, findings, { operators, keys, tenant: 'acme', tokenMap: new TokenMap('acme') });
      assert.equal(out.items.length, chosen.length);
      for (const x of chosen) {
        for (const word of text.slice(x.start, x.end).split(' ')) assert.ok(!out.text.includes(word), `case ${c}: ${word} leaked`);
      }
      // Outside the replacements the output is the input, unchanged.
      let rebuilt = '';
      let cursor = 0;
      out.items.forEach((item, i) => {
        rebuilt += text.slice(cursor, chosen[i]!.start) + out.text.slice(item.start, item.end);
        cursor = chosen[i]!.end;
        assert.equal(item.entity, chosen[i]!.entity);
      });
      assert.equal(rebuilt + text.slice(cursor), out.text);

      const shuffled = [...findings].sort(() => r() - 0.5);
      const again = scrub(text, shuffled, { operators, keys, tenant: 'acme', tokenMap: new TokenMap('acme') });
      const stable = (s: string): string => s.replace(/ENC\[[^\]]*\]/g, 'ENC'); // IVs are random by design
      assert.equal(stable(again.text), stable(out.text));
      assert.deepEqual(again.items, out.items);
    }
  });

  it('encrypt and tokenize round-trip exactly through deanonymize (300 random cases)', () => {
    const r = rng(7);
    const reversible = parseOperatorAssignments(['PERSON=tokenize', 'US_SSN=encrypt', 'LOCATION=tokenize']);
    for (let c = 0; c < 300; c++) {
      const { text, findings } = randomCase(r);
      const out = scrub(text, findings, { operators: reversible, defaultOperator: parseOperatorSpec('encrypt'), keys, tenant: 't1' });
      const back = deanonymize(out.text, { keys, tenant: 't1', ...(out.tokenMap ? { tokenMap: out.tokenMap } : {}) });
      assert.equal(back.text, text, `case ${c}`);
      assert.equal(back.items.length, out.items.length);
    }
  });
});
