import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Analyzer } from '../analyzer.js';
import { fiPersonalIdentityCodeDetector, fiPersonalIdentityCodeValid } from './fi-personal-identity-code.js';

const analyzer = new Analyzer([fiPersonalIdentityCodeDetector]);
const raw = (text: string) => analyzer.analyze(text, { minScore: 0, context: false }).map((f) => [text.slice(f.start, f.end), f.score]);

describe('FI_PERSONAL_IDENTITY_CODE', () => {
  it('checks the date in its century and the control character', () => {
    assert.equal(fiPersonalIdentityCodeValid('131052-308T'), true);
    assert.equal(fiPersonalIdentityCodeValid('010594Y9032'), true);
    assert.equal(fiPersonalIdentityCodeValid('020504A902E'), true);
    assert.equal(fiPersonalIdentityCodeValid('131052-308U'), false);
    assert.equal(fiPersonalIdentityCodeValid('310289-211C'), false); // 31 February
    assert.equal(fiPersonalIdentityCodeValid('290200+1234'), false); // 1800 was no leap year
  });

  it('finds a code glued to a word but not inside a longer number', () => {
    assert.deepEqual(raw('hetu 131052-308T, code is030594W903B.'), [
      ['131052-308T', 1],
      ['030594W903B', 1],
    ]);
    assert.deepEqual(raw('1131052-308T 131052-308T5 131052/308T 111111-111A'), []);
  });
});
