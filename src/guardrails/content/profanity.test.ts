import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scanInput } from '../detect/scan-input.js';
import { EMBEDDED_SCORE, PROFANITY, WHOLE_WORD_SCORE, WORD_EDGE_SCORE, profanityDetector } from './profanity.js';

const d = profanityDetector();
const hits = (text: string) => d.detect(scanInput(text)).map((f) => ({ span: text.slice(f.start, f.end), score: f.score }));

describe('profanityDetector', () => {
  const positives: Array<[string, string, number]> = [
    ['what the fuck', 'fuck', WHOLE_WORD_SCORE],
    ['WHAT THE FUCK!', 'FUCK', WHOLE_WORD_SCORE],
    ['f4ck1ng hell', 'f4ck1ng', WORD_EDGE_SCORE], // leetspeak, whole word reported
    ['fuuuuuck', 'fuuuuuck', WHOLE_WORD_SCORE], // repeated letters
    ['this is sh1t', 'sh1t', WHOLE_WORD_SCORE],
    ['ʃṳ𝒸𝗄 you', 'ʃṳ𝒸𝗄', WHOLE_WORD_SCORE], // confusables and astral letters
    ['you motherfucker', 'motherfucker', EMBEDDED_SCORE],
  ];
  for (const [text, span, score] of positives) {
    it(`finds ${JSON.stringify(span)} in ${JSON.stringify(text)}`, () => assert.deepEqual(hits(text), [{ span, score }]));
  }

  const negatives = ['Scunthorpe United won', 'the assassin escaped', 'cocktail hour', 'class assignment', 'Sussex', 'grape analysis', 'a therapist'];
  for (const text of negatives) it(`leaves ${JSON.stringify(text)} alone`, () => assert.deepEqual(hits(text), []));

  it('reports each offending word once, with entity and detector id', () => {
    const fs = d.detect(scanInput('shit, shit'));
    assert.equal(fs.length, 2);
    for (const f of fs) {
      assert.equal(f.entity, PROFANITY);
      assert.equal(f.detector, 'profanity');
    }
  });
});
