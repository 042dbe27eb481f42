import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Analyzer } from '../analyzer.js';
import { ukNinoDetector } from './uk-nino.js';

const analyzer = new Analyzer([ukNinoDetector]);
const raw = (text: string) => analyzer.analyze(text, { minScore: 0, context: false }).map((f) => [text.slice(f.start, f.end), f.score]);

describe('UK_NINO', () => {
  it('finds the prefix, three pairs and the suffix, spaced or not, in either case', () => {
    assert.deepEqual(raw('AB 12 34 56 C, tw987654a, PR 123612C'), [
      ['AB 12 34 56 C', 0.5],
      ['tw987654a', 0.5],
      ['PR 123612C', 0.5],
    ]);
  });

  it("keeps Presidio's span: the space before the prefix when a word ends there", () => {
    assert.deepEqual(raw('Number YZ 61 48 68 B'), [[' YZ 61 48 68 B', 0.5]]);
  });

  it('refuses the excluded prefixes and suffixes', () => {
    assert.deepEqual(raw('AA 12 34 56 H; AB 12 34 56 1; BG123612A; nt 99 88 77 a; UV 98 76 54 B; FQ 00 00 00 C; x BG123612A'), []);
  });
});
