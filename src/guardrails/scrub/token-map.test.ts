import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidInputError } from '../../errors.js';
import { MemoryTokenMapStore, TokenMap } from './token-map.js';

describe('TokenMap', () => {
  it('exports and imports as JSON, and numbering continues after an import', () => {
    const map = new TokenMap('acme');
    map.tokenFor('PERSON', 'Ann');
    map.tokenFor('PERSON', 'Bob');
    map.tokenFor('US_SSN', '078-05-1120');
    const copy = TokenMap.fromJSON(JSON.parse(JSON.stringify(map)));
    assert.equal(copy.tenant, 'acme');
    assert.deepEqual(copy.toJSON(), map.toJSON());
    assert.equal(copy.tokenFor('PERSON', 'Bob'), '<PERSON_2>');
    assert.equal(copy.tokenFor('PERSON', 'Cy'), '<PERSON_3>');
    assert.equal(copy.size, 4);
  });

  it('continues past the highest imported number even when numbers have gaps', () => {
    const map = TokenMap.fromJSON({ version: 1, tenant: 't', entries: [{ entity: 'PERSON', value: 'Ann', token: '<PERSON_7>' }] });
    assert.equal(map.tokenFor('PERSON', 'Bob'), '<PERSON_8>');
  });

  const bad: Array<[string, unknown]> = [
    ['not an object', 'x'],
    ['wrong version', { version: 2, tenant: 't', entries: [] }],
    ['no tenant', { version: 1, entries: [] }],
    ['entries not an array', { version: 1, tenant: 't', entries: {} }],
    ['entry missing value', { version: 1, tenant: 't', entries: [{ entity: 'PERSON', token: '<PERSON_1>' }] }],
    ['token of another entity', { version: 1, tenant: 't', entries: [{ entity: 'PERSON', value: 'a', token: '<EMAIL_1>' }] }],
    ['malformed token', { version: 1, tenant: 't', entries: [{ entity: 'PERSON', value: 'a', token: 'PERSON_1' }] }],
    ['duplicate token', { version: 1, tenant: 't', entries: [{ entity: 'P', value: 'a', token: '<P_1>' }, { entity: 'P', value: 'b', token: '<P_1>' }] }],
    ['duplicate value', { version: 1, tenant: 't', entries: [{ entity: 'P', value: 'a', token: '<P_1>' }, { entity: 'P', value: 'a', token: '<P_2>' }] }],
  ];
  for (const [why, json] of bad) {
    it(`rejects a map with ${why}`, () => assert.throws(() => TokenMap.fromJSON(json), InvalidInputError));
  }

  it('a memory store keeps maps per tenant and document', async () => {
    const store = new MemoryTokenMapStore();
    const map = new TokenMap('acme');
    map.tokenFor('PERSON', 'Ann');
    await store.save('doc-1', map);
    assert.equal((await store.load('acme', 'doc-1'))?.valueOf('<PERSON_1>'), 'Ann');
    assert.equal(await store.load('globex', 'doc-1'), undefined);
    assert.equal(await store.load('acme', 'doc-2'), undefined);
  });
});
