import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { boost, ContextMatcher, DEFAULT_CONTEXT_WINDOW, surroundingWords } from './context.js';
import type { ContextWindow } from './types.js';

/** The plain reading of the window: lower-case the words around the span, look for each word. */
function reference(text: string, start: number, end: number, words: readonly string[], window: ContextWindow): boolean {
  const { before, after } = surroundingWords(text, start, end, window);
  return words.some((w) => before.includes(w) || after.includes(w));
}

function randomTexts(count: number, seed = 11): string[] {
  const atoms = ['routing', 'Routing', 'ROUTING', 'rout', 'aba', 'ABA', 'number', 'no.', 'acct#', 'zip code', 'Zip', 'e-mail', 'the', 'is', 'on', 'my',
    ' ', ' ', '  ', ',', '.', ':', '#', '-', '\n', '12345', '021000021', 'İ', 'ß', 'ban\u212Ak', 'é', '😀', 'Straße'];
  let s = seed;
  const next = (n: number) => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return Math.floor((s / 2 ** 31) * n);
  };
  const out: string[] = [];
  for (let t = 0; t < count; t++) {
    let text = '';
    for (let n = 2 + next(30); n > 0; n--) text += atoms[next(atoms.length)];
    out.push(text);
  }
  return out;
}

describe('context words', () => {
  const lists = [
    ['aba', 'routing', 'rtn', 'transit'],
    ['zip', 'zip code', 'postal'],
    ['account#', 'acct', 'bank'],
    ['e-mail', 'mail'],
    ['k'], // matched by the Kelvin sign's lower case, which only the plain path sees
  ];
  const windows: ContextWindow[] = [DEFAULT_CONTEXT_WINDOW, { before: 8, after: 2 }, { before: 1, after: 0 }];

  it('finds a word exactly where lower-casing the window and searching it would', () => {
    for (const text of randomTexts(1500)) {
      for (const words of lists) {
        for (const window of windows) {
          const m = new ContextMatcher(words, window);
          for (let start = 0; start < text.length; start += 7) {
            const end = Math.min(text.length, start + 1 + (start % 5));
            assert.equal(m.test(text, start, end), reference(text, start, end, words, window), `${JSON.stringify(words)} ${JSON.stringify(window)} [${start}, ${end}) in ${JSON.stringify(text)}`);
          }
        }
      }
    }
  });

  it('looks as many words back as the window says', () => {
    const text = 'the routing number on my checks is 121000358';
    const at = text.indexOf('121');
    assert.equal(new ContextMatcher(['routing']).test(text, at, text.length), false);
    assert.equal(new ContextMatcher(['routing'], { before: 8, after: 2 }).test(text, at, text.length), true);
    assert.equal(new ContextMatcher(['checks']).test(text, at, text.length), true);
  });

  it('finds phrases, words inside words, and nothing for no words', () => {
    assert.equal(new ContextMatcher(['zip code']).test('ZIP CODE: 12345', 10, 15), true);
    assert.equal(new ContextMatcher(['mail']).test('E-Mail: 12345', 8, 13), true);
    assert.equal(new ContextMatcher([]).test('zip 12345', 4, 9), false);
    assert.equal(new ContextMatcher(['']).test('12345', 0, 5), true); // '' is in every window, as `includes` has it
  });

  it('boosts by 0.35 to at least 0.4 and at most 1', () => {
    assert.equal(boost(0.05), 0.4);
    assert.equal(boost(0.3), 0.65);
    assert.equal(boost(0.1), 0.45); // not 0.1 + 0.35 = 0.44999999999999996
    assert.equal(boost(0.9), 1);
  });
});
