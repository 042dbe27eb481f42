import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scanInput } from '../scan-input.js';
import { forEachAnchoredToken, scanAnchors, trimDashes } from './anchored-scan.js';
import { isIdChar } from './digit-checks.js';

describe('scanAnchors', () => {
  it('reports candidates with offsets into the full text, in digit windows only', () => {
    const text = `${'words without numbers '.repeat(10)}id 12 and 34 then ${'more plain words '.repeat(10)}x 56`;
    const seen: Array<[string, number]> = [];
    scanAnchors(scanInput(text), /\d+/g, true, (t, m, offset) => {
      seen.push([m[0], offset + m.index]);
      assert.equal(t.slice(m.index, m.index + m[0].length), m[0]);
      return undefined;
    });
    assert.deepEqual(
      seen.map(([v]) => v),
      ['12', '34', '56'],
    );
    for (const [v, at] of seen) assert.equal(text.slice(at, at + v.length), v);
  });

  it('resumes where the decision says, never before the next character', () => {
    const text = 'aaaa';
    const starts: number[] = [];
    scanAnchors(scanInput(text), /a/g, false, (_t, m) => {
      starts.push(m.index);
      return m.index === 0 ? 3 : 0; // skip to 3, then ask to go back: must still move forward
    });
    assert.deepEqual(starts, [0, 3]);
  });

  it('refuses an anchor without the g flag', () => {
    assert.throws(() => scanAnchors(scanInput('1'), /1/, false, () => undefined), /g flag/);
  });

  it('visits each token holding an anchor once, with full-text offsets', () => {
    const text = `${'plain words here '.repeat(8)}ids A-123-B and 45x67, word, 8`;
    const tokens: string[] = [];
    forEachAnchoredToken(scanInput(text), /\d/g, isIdChar, (t, s, e, offset) => {
      assert.equal(t.slice(s, e), text.slice(offset + s, offset + e));
      tokens.push(t.slice(s, e));
    });
    assert.deepEqual(tokens, ['A-123-B', '45x67', '8']);
  });

  it('trims dashes at the ends of a span', () => {
    assert.deepEqual(trimDashes('--ab-c--', 0, 8), [2, 6]);
    assert.deepEqual(trimDashes('---', 0, 3), [3, 3]);
  });
});
