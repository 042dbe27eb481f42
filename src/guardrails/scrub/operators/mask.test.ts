import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidInputError } from '../../../errors.js';
import { mask } from './mask.js';

const ctx = { entity: 'X', tenant: 't' };
const m = (value: string, raw?: string): string => mask.apply(value, mask.parseParams(raw), ctx);

describe('mask operator', () => {
  const cases: Array<[string, string | undefined, string]> = [
    ['078-05-1120', undefined, '***-**-1120'],
    ['078-05-1120', '4', '***-**-1120'],
    ['4111 1111 1111 1111', '4', '**** **** **** 1111'],
    ['(555) 123-4567', '2', '(***) ***-**67'],
    ['john.doe@example.com', '3', '****.***@*******.com'],
    ['078-05-1120', '0', '***-**-****'],
    ['078-05-1120', '4:#', '###-##-1120'],
    ['078-05-1120', '4::', ':::-::-1120'],
    ['Zoë Ünal', '2', '*** **al'],
  ];
  for (const [value, raw, want] of cases) {
    it(`mask${raw === undefined ? '' : `:${raw}`} turns ${value} into ${want}`, () => assert.equal(m(value, raw), want));
  }

  it('keeps exactly the last N letters and digits, whatever N', () => {
    const value = '1234-5678-9012';
    for (let n = 0; n < 12; n++) {
      const out = m(value, String(n));
      assert.equal(out.length, value.length);
      assert.equal(out.replace(/[^0-9]/g, ''), value.replace(/[^0-9]/g, '').slice(12 - n));
      assert.equal(out.replace(/[0-9*]/g, ''), '--');
    }
  });

  it('masks a value whole when it has no more than N letters and digits', () => {
    assert.equal(m('1120'), '****');
    assert.equal(m('12-3', '5'), '**-*');
  });

  it('keeps code points whole', () => {
    assert.equal(m('𝟘𝟙𝟚𝟛𝟜𝟝', '2'), '****𝟜𝟝');
  });

  for (const raw of ['-1', 'x', '4.5', '65', '4:', '4:ab', '4:a', '4:7', '4: ']) {
    it(`rejects mask:${raw}`, () => {
      assert.throws(() => mask.parseParams(raw), InvalidInputError);
    });
  }
});
