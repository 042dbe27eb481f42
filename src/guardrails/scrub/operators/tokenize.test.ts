import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidInputError } from '../../../errors.js';
import { TokenMap } from '../token-map.js';
import { tokenize } from './tokenize.js';

describe('tokenize operator', () => {
  it('gives the same value the same token and new values the next number, per entity', () => {
    const tokenMap = new TokenMap('acme');
    const t = (entity: string, v: string): string => tokenize.apply(v, undefined, { entity, tenant: 'acme', tokenMap });
    assert.equal(t('PERSON', 'Ann Lee'), '<PERSON_1>');
    assert.equal(t('PERSON', 'Bob Roe'), '<PERSON_2>');
    assert.equal(t('PERSON', 'Ann Lee'), '<PERSON_1>');
    assert.equal(t('EMAIL_ADDRESS', 'ann@x.example'), '<EMAIL_ADDRESS_1>');
    assert.equal(tokenMap.valueOf('<PERSON_2>'), 'Bob Roe');
  });

  it("refuses another tenant's map and a missing map", () => {
    const tokenMap = new TokenMap('acme');
    assert.throws(() => tokenize.apply('Ann', undefined, { entity: 'PERSON', tenant: 'globex', tokenMap }), /tenant "acme"/);
    assert.throws(() => tokenize.apply('Ann', undefined, { entity: 'PERSON', tenant: 'acme' }), InvalidInputError);
  });
});
