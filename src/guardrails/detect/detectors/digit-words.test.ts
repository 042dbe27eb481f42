import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DENSE_RUN_SPACING, scanInput } from '../scan-input.js';
import { digitWords, MAX_DIGIT_WORD, MIN_DIGIT_WORD, wordDetector } from './digit-words.js';

function randomTexts(count: number, seed = 5): string[] {
  let s = seed;
  const next = (n: number) => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return Math.floor((s / 2 ** 31) * n);
  };
  const parts = ['1234567', '12', '9', 'AB', 'x', 'QRSTUVWXYZ', '_', ' ', ' ', '-', '.', 'é', '\n'];
  const out: string[] = [];
  for (let t = 0; t < count; t++) {
    let text = '';
    for (let n = 1 + next(16); n > 0; n--) text += parts[next(parts.length)];
    out.push(text);
  }
  return out;
}

const words = (text: string) => {
  const w = digitWords(scanInput(text));
  return w.start.map((s, i) => text.slice(s, s + w.length[i]!));
};

describe('digit words', () => {
  it('lists the words of word characters holding a digit, MIN_DIGIT_WORD to MAX_DIGIT_WORD long', () => {
    for (const text of randomTexts(3000)) {
      const sparse = text + ' '.repeat(text.length * DENSE_RUN_SPACING);
      const expected = (sparse.match(/\w+/g) ?? []).filter((w) => /\d/.test(w) && w.length >= MIN_DIGIT_WORD && w.length <= MAX_DIGIT_WORD);
      assert.deepEqual(words(sparse), expected, JSON.stringify(text));
    }
  });

  it('lists the same words when the digits are too dense to list runs', () => {
    const dense = `${'1 2 3 4 5 6 '.repeat(20)}AB1234567 x_12345678 ${'a'.repeat(10)}12345678`;
    assert.equal(scanInput(dense).digitRuns(), undefined);
    assert.deepEqual(words(dense), ['AB1234567', 'x_12345678']);
  });

  it('tests word patterns whole', () => {
    assert.throws(() => wordDetector({ id: 'x', entity: 'X', context: [], length: 9, pattern: /^\d{9}$/g, score: () => 1 }), /without the g or y flag/);
  });
});
