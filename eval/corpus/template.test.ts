import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from './rng.js';
import { type RenderEnv, TextBuilder, render } from './template.js';

const env = (seed = 1): RenderEnv => ({
  rng: new Rng(seed),
  entity: (name, tag) => ({ value: tag ? `<${name}:${tag}>` : `<${name}>`, format: 'f' }),
  filler: (name) => (name === 'nested' ? 'x {A|B} {?DATE_TIME}' : name),
});

describe('template rendering', () => {
  it('records exact spans for entity slots and marks optional ones', () => {
    const b = new TextBuilder();
    render('SSN: {US_SSN}, DOB {DATE_TIME:dob}; seen {?DATE_TIME}.', env(), b);
    assert.equal(b.text, 'SSN: <US_SSN>, DOB <DATE_TIME:dob>; seen <DATE_TIME>.');
    for (const l of b.labels) assert.equal(b.text.slice(l.start, l.end), l.value);
    assert.deepEqual(b.labels.map((l) => [l.entity, Boolean(l.optional)]), [['US_SSN', false], ['DATE_TIME', false], ['DATE_TIME', true]]);
  });

  it('chooses among alternatives, including nested and empty ones', () => {
    const seen = new Set<string>();
    for (let seed = 0; seed < 200; seed++) {
      const b = new TextBuilder();
      render('{a|b {X}|}.', env(seed), b);
      seen.add(b.text);
    }
    assert.deepEqual([...seen].sort(), ['.', 'a.', 'b <X>.']);
  });

  it('renders filler as a template', () => {
    const b = new TextBuilder();
    render('[{$nested}]', env(), b);
    assert.match(b.text, /^\[x [AB] <DATE_TIME>\]$/);
    assert.equal(b.labels.length, 1);
  });

  it('rejects malformed templates', () => {
    assert.throws(() => render('oops {US_SSN', env(), new TextBuilder()), /unclosed/);
    assert.throws(() => render('bad {lower case}', env(), new TextBuilder()), /bad slot/);
  });

  it('labels the parts of a value inside it', () => {
    const b = new TextBuilder().append('at ');
    b.entity('LOCATION', { value: '1 Elm St, Boise, ID 83702', format: 'street', parts: [{ entity: 'US_ZIP_CODE', start: 20, end: 25, format: 'zip5' }] });
    assert.deepEqual(b.labels.map((l) => [l.entity, b.text.slice(l.start, l.end)]), [['LOCATION', '1 Elm St, Boise, ID 83702'], ['US_ZIP_CODE', '83702']]);
  });

  it('records segments', () => {
    const b = new TextBuilder().append('> ');
    b.segment('cat', () => render('abc', env(), b));
    assert.deepEqual(b.segments, [{ category: 'cat', start: 2, end: 5 }]);
  });
});
