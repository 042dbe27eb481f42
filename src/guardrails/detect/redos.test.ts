/**
 * Scanning stays linear in the input: every regular expression a detector runs is either an RE2
 * object (linear by construction) or proven free of catastrophic backtracking by redos-detector.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import RE2 from 're2';
import { isSafe } from 'redos-detector';
import { builtinDetectors } from './registry.js';

describe('every detector pattern is linear-time', () => {
  for (const d of builtinDetectors()) {
    it(d.id, () => {
      assert.ok(d.regexes.length > 0 || d.id.startsWith('nlp-'), `${d.id} lists no regexes`);
      for (const r of d.regexes) {
        if (r instanceof RE2) continue;
        const res = isSafe(r, { timeout: 20000 });
        assert.ok(res.safe, `${d.id}: /${r.source}/${r.flags} is not provably safe (${res.error ?? 'ambiguous'}); restructure it or compile it with RE2`);
      }
    });
  }
});
