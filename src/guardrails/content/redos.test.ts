/**
 * Content detectors stay linear in the input: every regular expression they run is an RE2 object
 * or proven free of catastrophic backtracking (the same proof as detect/redos.test.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import RE2 from 're2';
import { isSafe } from 'redos-detector';
import { createContentDetectors } from './content-detectors.js';

const all = createContentDetectors({
  profanity: true,
  bannedTerms: ['example'],
  bannedTopics: { weapons: ['rifle'] },
  promptInjection: true,
});

describe('every content detector regex is linear-time', () => {
  for (const d of all) {
    it(d.id, () => {
      assert.ok(d.regexes.length > 0, `${d.id} lists no regexes`);
      for (const r of d.regexes) {
        if (r instanceof RE2) continue;
        const res = isSafe(r, { timeout: 20000 });
        assert.ok(res.safe, `${d.id}: /${r.source}/${r.flags} is not provably safe (${res.error ?? 'ambiguous'}); restructure it or compile it with RE2`);
      }
    });
  }
  it('profanity lists the regexes obscenity compiled (one per data-set term)', () => {
    const d = all.find((x) => x.id === 'profanity')!;
    assert.ok(d.regexes.length > 50, `only ${d.regexes.length} regexes: obscenity's internals moved?`);
  });
});
