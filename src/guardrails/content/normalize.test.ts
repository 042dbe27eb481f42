import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeForMatching, normalizeTerm } from './normalize.js';

describe('normalizeForMatching', () => {
  const cases: Array<[string, string]> = [
    ['BOMB', 'bomb'],
    ['ｂｏｍｂ', 'bomb'], // full-width
    ['𝐛𝐨𝐦𝐛', 'bomb'], // mathematical bold
    ['b\u200Bo\u200Dm\u00ADb', 'bomb'], // zero-width space, joiner, soft hyphen
    ['bo\uFEFFmb\uFE0F', 'bomb'], // BOM, variation selector
    ['nerve \t\n  agent', 'nerve agent'], // white space collapsed
    ['  padded  ', 'padded'],
    ['ﬁne', 'fine'], // ligature expands
    ['cafe\u0301', 'café'], // combining accent composes
    ['CAFÉ', 'café'],
  ];
  for (const [input, want] of cases) {
    it(`${JSON.stringify(input)} → ${JSON.stringify(want)}`, () => assert.equal(normalizeForMatching(input).text, want));
  }

  it('maps spans of the canonical form back to the original text', () => {
    const original = 'Say ＢＯ\u200BＭＢ  now';
    const n = normalizeForMatching(original);
    const at = n.text.indexOf('bomb');
    assert.equal(n.text, 'say bomb now');
    const [s, e] = n.toOriginal(at, at + 4);
    assert.equal(original.slice(s, e), 'ＢＯ\u200BＭＢ');
    const [s2, e2] = n.toOriginal(n.text.indexOf('now'), n.text.length);
    assert.equal(original.slice(s2, e2), 'now');
  });

  it('maps an expanded character to the whole original character', () => {
    const n = normalizeForMatching('a ﬁ b');
    const [s, e] = n.toOriginal(2, 3); // "f" of "fi"
    assert.deepEqual([s, e], [2, 3]);
  });

  it('keeps astral characters whole in the map', () => {
    const original = 'x 😀 𝐛𝐨𝐦𝐛';
    const n = normalizeForMatching(original);
    const at = n.text.indexOf('bomb');
    const [s, e] = n.toOriginal(at, at + 4);
    assert.equal(original.slice(s, e), '𝐛𝐨𝐦𝐛');
  });

  it('normalizeTerm agrees with the text form', () => {
    assert.equal(normalizeTerm('  Nerve\u00A0Agent '), 'nerve agent');
    assert.equal(normalizeTerm('\u200B\u200C'), '');
  });
});
