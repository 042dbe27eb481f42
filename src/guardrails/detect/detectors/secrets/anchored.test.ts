import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { anchoredDetector } from './anchored.js';
import { forEachLiteral, matchAt, startsToken } from './scan.js';
import { raw, spans } from './fixtures.js';

const demo = (over: Partial<Parameters<typeof anchoredDetector>[0]> = {}) =>
  anchoredDetector({
    id: 'demo',
    entity: 'DEMO',
    patterns: [{ name: 'demo', anchors: ['tok_'], extract: /tok_[A-Za-z0-9_]{1,9}/y, shape: /^tok_[A-Za-z0-9]{8}$/, score: 0.6 }],
    ...over,
  });

describe('scan helpers', () => {
  it('forEachLiteral visits every occurrence, overlapping ones included', () => {
    const hits: number[] = [];
    forEachLiteral('aaaa', 'aa', (i) => hits.push(i));
    assert.deepEqual(hits, [0, 1, 2]);
  });
  it('matchAt needs a sticky regex and matches only at the position', () => {
    assert.throws(() => matchAt(/a/g, 'a', 0));
    assert.equal(matchAt(/b/y, 'ab', 0), null);
    assert.equal(matchAt(/b/y, 'ab', 1)?.[0], 'b');
  });
  it('startsToken is false inside a token', () => {
    assert.ok(startsToken('x tok', 2));
    assert.ok(startsToken('tok', 0));
    assert.ok(!startsToken('xtok', 1));
    assert.ok(!startsToken('-tok', 1));
  });
});

describe('anchoredDetector', () => {
  it('reports a token with the exact shape at its base score', () => {
    const text = 'use tok_Ab3dE5gH now';
    const fs = raw(demo(), text);
    assert.deepEqual(spans(text, fs), ['tok_Ab3dE5gH']);
    assert.equal(fs[0]!.score, 0.6);
  });
  it('rejects tokens glued to more token characters (too long) or too short', () => {
    assert.equal(raw(demo(), 'tok_Ab3dE5gH9 tok_Ab3d xtok_Ab3dE5gH').length, 0);
  });
  it('drops sentence dots after a token', () => {
    const text = 'It was tok_Ab3dE5gH.';
    assert.deepEqual(spans(text, raw(demo(), text)), ['tok_Ab3dE5gH']);
  });
  it('applies validate verdicts and invalidate', () => {
    const text = 'tok_Ab3dE5gH tok_Zz9yX8wV';
    assert.deepEqual(raw(demo({ validate: (v) => v.includes('Ab') }), text).map((f) => f.score), [1]);
    assert.deepEqual(raw(demo({ validate: () => 0.2 }), text).map((f) => f.score), [0.2, 0.2]);
    assert.equal(raw(demo({ invalidate: () => true }), text).length, 0);
  });
  it('finds tokens from an anchor inside them (numeric and function leads)', () => {
    const text = 'a tok_Ab3dE5gH b';
    const byNumber = demo({ patterns: [{ name: 'd', anchors: ['_'], lead: 3, extract: /tok_[A-Za-z0-9_]{1,9}/y, shape: /^tok_[A-Za-z0-9]{8}$/, score: 0.6 }] });
    const byFunction = demo({ patterns: [{ name: 'd', anchors: ['_'], lead: (t, hit) => (t.startsWith('tok', hit - 3) ? hit - 3 : -1), extract: /tok_[A-Za-z0-9_]{1,9}/y, shape: /^tok_[A-Za-z0-9]{8}$/, score: 0.6 }] });
    assert.deepEqual(spans(text, raw(byNumber, text)), ['tok_Ab3dE5gH']);
    assert.deepEqual(spans(text, raw(byFunction, text)), ['tok_Ab3dE5gH']);
  });
  it('widens the span when asked', () => {
    const text = 'see https://tok_Ab3dE5gH';
    const d = demo({ patterns: [{ name: 'd', anchors: ['tok_'], extract: /tok_[A-Za-z0-9_]{1,9}/y, shape: /^tok_[A-Za-z0-9]{8}$/, score: 0.6, widen: (_t, s) => s - 8 }] });
    assert.deepEqual(spans(text, raw(d, text)), ['https://tok_Ab3dE5gH']);
  });
  it('lists its regexes and refuses unsafe configurations', () => {
    assert.equal(demo().regexes.length, 2);
    assert.throws(() => demo({ patterns: [{ name: 'd', anchors: ['x'], extract: /x/g, shape: /^x$/, score: 1 }] }), /y flag/);
    assert.throws(() => demo({ patterns: [{ name: 'd', anchors: ['x'], extract: /x/y, shape: /x/, score: 1 }] }), /anchored/);
  });
});
