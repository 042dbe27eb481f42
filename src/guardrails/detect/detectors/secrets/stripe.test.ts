import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LIVE_SCORE, TEST_SCORE, stripeDetector } from './stripe.js';
import { analyze, fakes, raw, spans } from './fixtures.js';

const r = fakes(51);

describe('stripeDetector', () => {
  it('scores live secret and restricted keys above test keys', () => {
    const live = [`sk_live_${r(24)}`, `rk_live_${r(99)}`];
    const test = [`sk_test_${r(24)}`, `rk_test_${r(99)}`];
    const text = [...live, ...test].map((k) => `STRIPE=${k}`).join('\n');
    const fs = raw(stripeDetector, text);
    assert.deepEqual(spans(text, fs), [...live, ...test]);
    assert.deepEqual(fs.map((f) => f.score), [LIVE_SCORE, LIVE_SCORE, TEST_SCORE, TEST_SCORE]);
    assert.ok(LIVE_SCORE > TEST_SCORE);
  });
  it('reports test keys above the default threshold', () => {
    assert.equal(analyze([stripeDetector], `key sk_test_${r(24)}`).length, 1);
  });
  it('ignores publishable keys, placeholders and short or glued values', () => {
    for (const text of [`pk_live_${r(24)}`, 'sk_live_xxxxxxxxxxxxxxxxxxxxxxxx', 'sk_test_your_key_here', `sk_live_${r(8)}`, `ask_live_${r(24)}`, `sk_live_${r(24)}_x`]) {
      assert.deepEqual(raw(stripeDetector, text), [], text);
    }
  });
});
