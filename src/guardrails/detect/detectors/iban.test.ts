import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Analyzer } from '../analyzer.js';
import { IBAN_COUNTRIES, ibanCheckDigits, ibanDetector, ibanFormatValid, ibanMatchGroups, ibanValid } from './iban.js';

const analyzer = new Analyzer([ibanDetector]);
const raw = (text: string) => analyzer.analyze(text, { minScore: 0, context: false }).map((f) => [text.slice(f.start, f.end), f.score]);

// Presidio's pattern, used only on short inputs as the reference for the emulation.
const PRESIDIO = /(?<![A-Z0-9])([A-Z]{2}[0-9]{2}(?:[ -]?[A-Z0-9]{4}){2,6})((?:[ -]?[A-Z0-9]{4})?)((?:[ -]?[A-Z0-9]{1,3})?)(?![A-Z0-9])/g;

function seeded(seed: number) {
  return () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
}

describe('IBAN_CODE', () => {
  it('computes ISO 13616 check digits', () => {
    assert.equal(ibanCheckDigits('GB00NWBK60161331926819'), '29');
    assert.equal(ibanCheckDigits('DE00370400440532013000'), '89');
    assert.equal(ibanCheckDigits('DE00 3704'), '', 'not compact');
  });

  it('checks the country format from the registry', () => {
    assert.equal(ibanFormatValid('DE89370400440532013000'), true);
    assert.equal(ibanFormatValid('DE8937040044053201300'), false, 'one digit short');
    assert.equal(ibanFormatValid('NL91ABNA0417164300'), true);
    assert.equal(ibanFormatValid('NL911BNA0417164300'), false, 'bank code must be letters');
    assert.equal(ibanFormatValid('AB150120690000003111141'), false, 'no such country');
    for (const c of ['DE', 'GB', 'FR', 'EG', 'UA', 'LC', 'SC', 'LY', 'IQ']) assert.ok(IBAN_COUNTRIES.includes(c), c);
    assert.ok(IBAN_COUNTRIES.length >= 80);
  });

  it('finds valid IBANs compact, grouped with spaces or dashes, at 1.0', () => {
    assert.deepEqual(raw('DE89370400440532013000'), [['DE89370400440532013000', 1]]);
    assert.deepEqual(raw('pay to GB29 NWBK 6016 1331 9268 19 today'), [['GB29 NWBK 6016 1331 9268 19', 1]]);
    assert.deepEqual(raw('Dash as iban separator: AL47-2121-1009-0000-0002-3569-8741'), [['AL47-2121-1009-0000-0002-3569-8741', 1]]);
    assert.deepEqual(raw('list: AL47212110090000000235698741, AL47212110090000000235698741'), [
      ['AL47212110090000000235698741', 1],
      ['AL47212110090000000235698741', 1],
    ]);
  });

  it('drops a trailing word or group that is not part of the IBAN', () => {
    assert.deepEqual(raw('this is an iban VG96 VPVG 0000 0123 4567 8901 X in a sentence'), [['VG96 VPVG 0000 0123 4567 8901', 1]]);
    assert.deepEqual(raw('AL47212110090000000235698741 ALL CAPS'), [['AL47212110090000000235698741', 1]]);
  });

  it('drops wrong check digits, wrong formats, other separators and lower case', () => {
    assert.equal(ibanValid('DE89 3704 0044 0532 0130 01'), false);
    assert.deepEqual(raw('CY17 0020 0128 0000 0012 0052 7601 failed'), []);
    assert.deepEqual(raw('AD12000A2030200359100100'), []);
    assert.deepEqual(raw('AL47/2121/1009/0000/0002/3569/8741'), []);
    assert.deepEqual(raw('de89370400440532013000'), []);
  });

  it('matches exactly what Presidio’s regex matches', () => {
    const rnd = seeded(5);
    const alphabet = 'DEAB0123456789 -x';
    for (let i = 0; i < 4000; i++) {
      let s = rnd() < 0.5 ? 'DE' : '';
      const len = 8 + Math.floor(rnd() * 40);
      for (let k = 0; k < len; k++) s += alphabet[Math.floor(rnd() * alphabet.length)];
      const expected: string[] = [];
      for (const m of s.matchAll(PRESIDIO)) {
        const e1 = m.index + m[1]!.length;
        const e2 = e1 + m[2]!.length;
        expected.push(`${m.index}:${e1}:${e2}:${e2 + m[3]!.length}`);
      }
      const got: string[] = [];
      const anchor = /(?<![A-Z0-9])[A-Z]{2}\d{2}/g;
      let m: RegExpExecArray | null;
      while ((m = anchor.exec(s))) {
        const g = ibanMatchGroups(s, m.index);
        if (g) {
          got.push(`${m.index}:${g.join(':')}`);
          anchor.lastIndex = g[2];
        }
      }
      assert.deepEqual(got, expected, JSON.stringify(s));
    }
  });

  it('is not reported for hard negatives', () => {
    assert.deepEqual(analyzer.analyze('Ticket AB12 3456 7890 was closed; SKU XY99-1234-5678-0000; build v1.2.3.'), []);
  });
});
