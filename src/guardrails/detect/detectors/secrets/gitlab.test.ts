import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gitlabDetector, prefixStart, tokenBody } from './gitlab.js';
import { ALNUM, HEX, fakes, raw, spans } from './fixtures.js';

const r = fakes(31);

describe('gitlabDetector', () => {
  it('finds each documented token type', () => {
    const tokens = [
      `glpat-${r(20)}`,
      `gldt-${r(20)}`,
      `glrt-${r(20)}`,
      `glft-${r(20)}`,
      `glsoat-${r(20)}`,
      `glffct-${r(20)}`,
      `glimt-${r(25)}`,
      `glptt-${r(40, HEX)}`,
      `glagent-${r(50)}`,
      `gloas-${r(64)}`,
      `glcbt-${r(3)}_${r(20)}`,
      `glpat-${r(40)}.${r(9, '0123456789abcdefghijklmnopqrstuvwxyz')}`,
      `glrt-t1_${r(30)}.${r(9, '0123456789abcdefghijklmnopqrstuvwxyz')}`,
      `GR1348941${r(20)}`,
    ];
    for (const t of tokens) {
      const text = `token: ${t}\n`;
      const fs = raw(gitlabDetector, text);
      assert.deepEqual(spans(text, fs), [t], t);
      assert.ok(fs[0]!.score >= 0.85);
    }
  });
  it('ignores placeholders, wrong lengths and look-alike words', () => {
    for (const text of [
      'glpat-XXXXXXXXXXX-XXXXXXXX',
      'glptt-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'GR134894112312312312312312312',
      `glpat-${r(19)}`,
      `glpat-${r(21)}`,
      `glptt-${r(40, ALNUM.slice(36))}`,
      'the glass-half-full view of English glosses',
    ]) {
      assert.deepEqual(raw(gitlabDetector, text), [], text);
    }
  });
  it('finds the prefix from its dash and takes the random part', () => {
    assert.equal(prefixStart('x glpat-abc', 7), 2);
    assert.equal(prefixStart('glagent-x', 7), 0);
    assert.equal(prefixStart('follow-up', 6), -1);
    assert.equal(tokenBody('glpat-abc'), 'abc');
    assert.equal(tokenBody('GR1348941abc'), 'abc');
  });
});
