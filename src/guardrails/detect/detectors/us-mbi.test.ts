import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Analyzer } from '../analyzer.js';
import { usMbiDetector } from './us-mbi.js';

const analyzer = new Analyzer([usMbiDetector]);
const raw = (text: string) => analyzer.analyze(text, { minScore: 0, context: false }).map((f) => [text.slice(f.start, f.end), f.score]);

describe('US_MBI', () => {
  it('matches the dashed form medium and the bare form weak, in either case', () => {
    assert.deepEqual(raw('Patient 1EG4-TE5-MK73 and 4EF6GH8JK12, 1eg4-te5-mk73'), [
      ['1EG4-TE5-MK73', 0.5],
      ['4EF6GH8JK12', 0.3],
      ['1eg4-te5-mk73', 0.5],
    ]);
  });

  it('rejects excluded letters, letters where digits belong and wrong lengths', () => {
    for (const bad of ['1SG4-TE5-MK73', '1EG4-LE5-MK73', '1EG4-TE5-OK73', '1EG4-TE5-MI73', '1BG4-TE5-MK73', '1EG4-ZE5-MK73', 'AEG4-TE5-MK73', '12G4-TE5-MK73', '1EG4TE5MK7', '1EG4TE5MK734'])
      assert.deepEqual(raw(bad), [], bad);
  });

  it('lets context words lift the bare form', () => {
    assert.deepEqual(analyzer.analyze('code 4EF6GH8JK12'), []);
    const [f] = analyzer.analyze('Medicare MBI 4EF6GH8JK12');
    assert.ok(f && f.score >= 0.4);
  });
});
