import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Analyzer } from '../analyzer.js';
import { esNieDetector, esNifDetector, nieValid, nifValid } from './es-nif-nie.js';

const analyzer = new Analyzer([esNifDetector, esNieDetector]);
const raw = (text: string) => analyzer.analyze(text, { minScore: 0, context: false }).map((f) => [f.entity, text.slice(f.start, f.end), f.score]);

describe('ES_NIF and ES_NIE', () => {
  it('check the control letter', () => {
    assert.equal(nifValid('12345678Z'), true);
    assert.equal(nifValid('12345678A'), false);
    assert.equal(nifValid('1111111-G'), true);
    assert.equal(nieValid('X9613851N'), true);
    assert.equal(nieValid('Y8063915-Z'), true);
    assert.equal(nieValid('Y8063915Q'), false);
    assert.equal(nieValid('W8063915Q'), false);
  });

  it('score a right control letter 1.0 in capitals and drop a wrong one', () => {
    assert.deepEqual(raw('DNI 12345678Z, NIE X9613851N, Y8063915-Z; 12345678A, Y8063915Q'), [
      ['ES_NIF', '12345678Z', 1],
      ['ES_NIE', 'X9613851N', 1],
      ['ES_NIE', 'Y8063915-Z', 1],
    ]);
  });

  it('keep hexadecimal out: lower-case letters are weak, dash-joined words are not found', () => {
    assert.deepEqual(raw('12345678z'), [['ES_NIF', '12345678z', 0.3]]);
    assert.deepEqual(raw('request 1108666c-3f2a-4b1c-9d2e-0a1b2c3d4e5f'), []);
    assert.deepEqual(analyzer.analyze('crc 1866461b'), []);
    assert.deepEqual(analyzer.analyze('mi DNI es 12345678z').map((f) => f.entity), ['ES_NIF']);
  });
});
