import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Analyzer } from '../detect/analyzer.js';
import { patternDetector } from '../detect/pattern-detector.js';
import { parseOperatorSpec } from './registry.js';
import { scrub } from './scrub.js';
import { scrubStream } from './stream.js';
import { TokenMap } from './token-map.js';

// Two overlapping entity kinds, so clusters with competing findings cross chunk borders.
const analyzer = new Analyzer([
  patternDetector({ id: 'code', entity: 'CODE', patterns: [{ name: 'c', regex: /\bC-\d{4}-\d{4}\b/g, score: 0.9, digits: true }] }),
  patternDetector({ id: 'num', entity: 'NUM', patterns: [{ name: 'n', regex: /\b\d{4}-\d{4}\b/g, score: 0.5, digits: true }] }),
  patternDetector({ id: 'name', entity: 'PERSON', patterns: [{ name: 'p', regex: /\b(?:Alice|Bob|Carol)\b/g, score: 0.8 }] }),
]);

function text(): string {
  let s = '';
  const names = ['Alice', 'Bob', 'Carol'];
  for (let i = 0; i < 300; i++) s += `row ${i}: ${names[i % 3]} filed C-${1000 + i}-${2000 + i} and ${3000 + i}-${4000 + i}; `;
  return s;
}

async function run(src: string, piece: number, chunk: number): Promise<string> {
  async function* pieces() {
    for (let i = 0; i < src.length; i += piece) yield src.slice(i, i + piece);
  }
  let out = '';
  const opts = { operators: { PERSON: parseOperatorSpec('tokenize'), NUM: parseOperatorSpec('mask:2') }, tokenMap: new TokenMap('t'), tenant: 't' };
  for await (const s of scrubStream(pieces(), analyzer, {}, opts, { chunkChars: chunk, overlapChars: 64, contextChars: 16 })) out += s;
  return out;
}

describe('scrubStream', () => {
  const src = text();
  const expected = scrub(src, analyzer.analyze(src), { operators: { PERSON: parseOperatorSpec('tokenize'), NUM: parseOperatorSpec('mask:2') }, tokenMap: new TokenMap('t'), tenant: 't' }).text;

  for (const [piece, chunk] of [
    [7, 300],
    [1000, 512],
    [64, 4096],
  ] as const) {
    it(`gives the same output as scrubbing the whole text (pieces ${piece}, chunks ${chunk})`, async () => {
      const out = await run(src, piece, chunk);
      assert.equal(out, expected);
      assert.ok(!/Alice|Bob|Carol|C-\d{4}-\d{4}/.test(out), 'no raw value survives');
      assert.match(out, /<PERSON_1>/);
    });
  }

  it('passes text without findings through unchanged', async () => {
    const plain = 'nothing to see here. '.repeat(100);
    assert.equal(await run(plain, 13, 256), plain);
  });
});
