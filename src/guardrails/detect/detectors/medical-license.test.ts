import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Analyzer } from '../analyzer.js';
import { deaChecksumValid, medicalLicenseDetector } from './medical-license.js';

const analyzer = new Analyzer([medicalLicenseDetector]);
const raw = (text: string) => analyzer.analyze(text, { minScore: 0, context: false }).map((f) => [text.slice(f.start, f.end), f.score]);

describe('MEDICAL_LICENSE (DEA numbers)', () => {
  it('runs the DEA check digit', () => {
    assert.equal(deaChecksumValid('BB1388568'), true);
    assert.equal(deaChecksumValid('GL0285191'), true);
    assert.equal(deaChecksumValid('K92993548'), true);
    assert.equal(deaChecksumValid('BG8207031'), false);
    assert.equal(deaChecksumValid('BB138856'), false);
  });

  it('reports valid numbers at 1.0, in either case, and drops invalid ones', () => {
    assert.deepEqual(raw('GL0285191 EU4488929 bb1388568'), [
      ['GL0285191', 1],
      ['EU4488929', 1],
      ['bb1388568', 1],
    ]);
    assert.deepEqual(raw('The DEA number is  BG8207031'), []);
    assert.deepEqual(raw('IB1388568 ZB1388568'), [], 'registrant type letters exclude I and Z');
  });

  it('needs a whole token', () => {
    assert.deepEqual(raw('XBB1388568 BB13885680 deadbeefBB1388568'), []);
  });
});
