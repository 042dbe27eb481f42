import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DENSE_RUN_SPACING, scanInput } from '../scan-input.js';
import { chainsFromRegex, chainsFromRuns, numberChains } from './number-chains.js';

/** Deterministic strings of digit groups, separators, letters and words. */
function randomTexts(count: number, seed = 11): string[] {
  let s = seed;
  const next = (n: number) => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return Math.floor((s / 2 ** 31) * n);
  };
  const parts = [' ', ' ', '-', '.', ':', '+', '/', ', ', '\n', 'x', 'AB', ' the ', '(', ')', '_'];
  const out: string[] = [];
  for (let t = 0; t < count; t++) {
    let text = '';
    for (let n = 1 + next(20); n > 0; n--) text += next(2) === 0 ? '0123456789012345'.slice(0, 1 + next(13)) : parts[next(parts.length)];
    out.push(text);
  }
  return out;
}

const spans = (text: string) => numberChains(scanInput(text)).map((c) => text.slice(c.start, c.end));

describe('number chains', () => {
  it('lists the same numbers from the digit runs as from the regex pass', () => {
    for (const text of randomTexts(3000)) {
      const sparse = text + ' '.repeat(text.length * DENSE_RUN_SPACING);
      const input = scanInput(sparse);
      assert.deepEqual(chainsFromRuns(sparse, input.digitRuns()!), chainsFromRegex(input), JSON.stringify(text));
    }
  });

  it('uses the regex pass when the digits are dense', () => {
    const dense = '1 2 3 4 5 6 7 8 9 '.repeat(20) + '876543210';
    assert.equal(scanInput(dense).digitRuns(), undefined);
    assert.deepEqual(spans(dense), ['876543210']);
  });

  it('takes whole chains, and the spaceless parts of spaced chains', () => {
    assert.deepEqual(spans('51 824 753 556 / 876543210 123456782 / 943-476-5919 12'), ['51 824 753 556', '876543210', '123456782', '943-476-5919 12', '943-476-5919']);
    // Parts holding spaces are not numbers of their own: a card's first twelve digits are not one.
    assert.deepEqual(spans('4111 1111 1111 1111 / 12 345 678 901 234'), []);
  });

  it('lists nothing after a plus sign: a phone number', () => {
    assert.deepEqual(spans('+61 412 206 104 / +61412345678 / + 876543210 / +1 876543210'), []);
  });
});
