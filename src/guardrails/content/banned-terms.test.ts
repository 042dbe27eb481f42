import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scanInput } from '../detect/scan-input.js';
import { BANNED_TERM, BANNED_TOPIC, TOPIC_MULTI_KEYWORD_SCORE, TOPIC_SINGLE_KEYWORD_SCORE, bannedTermsDetector, bannedTopicDetector } from './banned-terms.js';
import type { Detector } from '../detect/types.js';

const spans = (d: Detector, text: string) => d.detect(scanInput(text)).map((f) => text.slice(f.start, f.end));

describe('bannedTermsDetector', () => {
  const d = bannedTermsDetector(['Project Falcon', 'crimson', 'café', '機密']);

  const positives: Array<[string, string[]]> = [
    ['the project falcon budget', ['project falcon']],
    ['PROJECT   FALCON', ['PROJECT   FALCON']],
    ['see Crimson.', ['Crimson']],
    ['ｃｒｉｍｓｏｎ', ['ｃｒｉｍｓｏｎ']],
    ['cri\u200Bmson and crim\u00ADson', ['cri\u200Bmson', 'crim\u00ADson']],
    ['𝐜𝐫𝐢𝐦𝐬𝐨𝐧 tide', ['𝐜𝐫𝐢𝐦𝐬𝐨𝐧']],
    ['(crimson)', ['crimson']],
    ['le cafe\u0301 du coin', ['cafe\u0301']],
    ['これは機密です', ['機密']], // unspaced script: no word boundary needed
  ];
  for (const [text, want] of positives) it(`finds ${JSON.stringify(want)} in ${JSON.stringify(text)}`, () => assert.deepEqual(spans(d, text), want));

  const negatives = ['crimsonite ore', 'a crimsons', 'project falcons', 'projectfalcon', 'xcrimson', 'crimson_tide', 'cafeteria'];
  for (const text of negatives) it(`leaves ${JSON.stringify(text)} alone (whole words only)`, () => assert.deepEqual(spans(d, text), []));

  it('reports entity, detector and a certain score', () => {
    const [f] = d.detect(scanInput('crimson'));
    assert.deepEqual(f, { entity: BANNED_TERM, start: 0, end: 7, score: 1, detector: 'banned-terms' });
  });

  it('reports overlapping terms (the analyzer drops the contained one)', () => {
    const o = bannedTermsDetector(['red', 'red alert']);
    assert.deepEqual(spans(o, 'code red alert').sort(), ['red', 'red alert']);
  });

  it('rejects a term that is empty after normalisation', () => {
    assert.throws(() => bannedTermsDetector(['ok', '\u200B ']), /empty after normalisation/);
  });

  it('scales with the text, not the number of terms (one automaton)', () => {
    const text = 'The patient reported mild pain after the procedure and was discharged home. '.repeat(4000);
    const few = bannedTermsDetector(['zebra']);
    const many = bannedTermsDetector(Array.from({ length: 20000 }, (_, i) => `term${i} w${i % 101}`));
    const time = (x: Detector) => {
      x.detect(scanInput('warm up'));
      const t = performance.now();
      for (let k = 0; k < 3; k++) x.detect(scanInput(text));
      return performance.now() - t;
    };
    const tFew = time(few);
    const tMany = time(many);
    // One regex per term would be ~20000× slower; allow generous noise.
    assert.ok(tMany < tFew * 5 + 50, `20000 terms took ${tMany.toFixed(0)} ms vs ${tFew.toFixed(0)} ms for one`);
  });
});

describe('bannedTopicDetector', () => {
  const weapons = bannedTopicDetector('weapons', ['rifle', 'ammunition', 'pipe bomb']);

  it('names the topic in the detector id', () => {
    assert.equal(weapons.id, 'topic:weapons');
    assert.deepEqual(weapons.entities, [BANNED_TOPIC]);
  });

  it('scores one keyword as a weak signal and several distinct keywords higher', () => {
    const one = weapons.detect(scanInput('a rifle and another rifle'));
    assert.deepEqual(one.map((f) => f.score), [TOPIC_SINGLE_KEYWORD_SCORE, TOPIC_SINGLE_KEYWORD_SCORE]);
    const two = weapons.detect(scanInput('rifle AMMUNITION'));
    assert.deepEqual(two.map((f) => [f.score, f.detector]), [
      [TOPIC_MULTI_KEYWORD_SCORE, 'topic:weapons'],
      [TOPIC_MULTI_KEYWORD_SCORE, 'topic:weapons'],
    ]);
  });

  it('matches phrases across obfuscated spacing and leaves unrelated words alone', () => {
    assert.deepEqual(spans(weapons, 'how to make a pipe\u00A0\u00A0bomb'), ['pipe\u00A0\u00A0bomb']);
    assert.deepEqual(spans(weapons, 'the pipeline bombed'), []);
  });
});
