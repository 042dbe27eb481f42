import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LEGACY_SCORE, TOKEN_SCORE, randomPart, slackDetector } from './slack.js';
import { DIGITS, HEX, UPPER, fakes, raw, spans } from './fixtures.js';

const r = fakes(41);

describe('slackDetector', () => {
  it('finds bot, user, configuration and app tokens at 0.9', () => {
    const tokens = [
      `xoxb-${r(12, DIGITS)}-${r(13, DIGITS)}-${r(24)}`,
      `xoxb-${r(12, DIGITS)}-${r(24)}`,
      `xoxp-${r(12, DIGITS)}-${r(12, DIGITS)}-${r(12, DIGITS)}-${r(32, HEX)}`,
      `xoxe.xoxp-1-${r(164)}`,
      `xoxe-1-${r(146)}`,
      `xapp-1-A${r(10, UPPER + DIGITS)}-${r(13, DIGITS)}-${r(64, HEX)}`,
    ];
    for (const t of tokens) {
      const text = `"token": "${t}"`;
      const fs = raw(slackDetector, text);
      assert.deepEqual(spans(text, fs), [t], t);
      assert.equal(fs[0]!.score, TOKEN_SCORE, t);
    }
  });
  it('scores legacy token shapes lower', () => {
    for (const t of [`xoxa-2-${r(40)}`, `xoxr-${r(30)}`, `xoxs-${r(10, DIGITS)}-${r(10, DIGITS)}-${r(10, DIGITS)}-${r(10, HEX)}`]) {
      const fs = raw(slackDetector, t);
      assert.equal(fs.length, 1, t);
      assert.equal(fs[0]!.score, LEGACY_SCORE, t);
    }
  });
  it('reports incoming-webhook URLs, scheme included', () => {
    const url = `https://hooks.slack.com/services/T${r(8, UPPER + DIGITS)}/B${r(8, UPPER + DIGITS)}/${r(24)}`;
    const text = `SLACK_WEBHOOK=${url}`;
    const fs = raw(slackDetector, text);
    assert.deepEqual(spans(text, fs), [url]);
    assert.equal(fs[0]!.score, 0.95);
  });
  it("ignores gitleaks' false positives and placeholders", () => {
    for (const text of [
      'xoxb-xxxxxxxxx-xxxxxxxxxx-xxxxxxxxxxxx',
      'xoxb-xxx',
      'xoxb-12345-abcd234',
      'xoxb-xoxb-my-bot-token',
      '"token1": "xoxp-1234567890"',
      'xoxp-XXXXXXXXXX-XXXXXXXXXX-XXXXXXXXXXX-XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX',
      'xoxp-1234-1234-1234-4ddbc191d40ee098cbaae6f3523ada2d',
      'xoxp-572370529330-573807301142-572331691188-####################',
      'https://indieweb.org/images/3/35/2018-250-xoxo-indieweb-1.jpg',
      'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX',
    ]) {
      assert.deepEqual(raw(slackDetector, text), [], text);
    }
  });
  it('takes the last segment as the random part', () => {
    assert.equal(randomPart('xoxb-1-2-abc'), 'abc');
    assert.equal(randomPart('hooks.slack.com/services/T1/B2/xyz'), 'xyz');
  });
});
