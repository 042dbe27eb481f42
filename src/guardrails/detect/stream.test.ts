import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Analyzer } from './analyzer.js';
import { patternDetector } from './pattern-detector.js';
import { analyzeStream, utf8Chunks } from './stream.js';
import type { Finding } from './types.js';

const analyzer = new Analyzer([
  patternDetector({
    id: 'case-id',
    entity: 'CASE_ID',
    patterns: [{ name: 'case', regex: /\bCASE-\d{6}\b/g, score: 0.3, digits: true }],
    context: ['case'],
  }),
  patternDetector({ id: 'long', entity: 'LONG', patterns: [{ name: 'long', regex: /<<[a-z]{40}>>/g, score: 0.9 }] }),
]);

function corpus(): string {
  let s = '';
  for (let i = 0; i < 400; i++) {
    s += `line ${i}: the case file CASE-${String(100000 + i)} was opened; `;
    if (i % 37 === 0) s += `<<${'abcdefghij'.repeat(4)}>> `;
    if (i % 11 === 0) s += 'ünïcödé 😀 ';
  }
  return s;
}

async function collect(it: AsyncIterable<Finding>): Promise<Finding[]> {
  const out: Finding[] = [];
  for await (const f of it) out.push(f);
  return out;
}

function pieces(s: string, n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i += n) out.push(s.slice(i, i + n));
  return out;
}

describe('analyzeStream', () => {
  const text = corpus();
  const whole = analyzer.analyze(text);

  for (const [chunk, piece] of [
    [500, 7],
    [997, 1000],
    [2048, 333],
  ] as const) {
    it(`finds exactly what a whole-text scan finds (chunks of ${chunk}, pieces of ${piece})`, async () => {
      const streamed = await collect(analyzeStream(pieces(text, piece), analyzer, {}, { chunkChars: chunk, overlapChars: 64, contextChars: 40 }));
      assert.ok(whole.length > 400);
      assert.deepEqual(streamed, whole);
    });
  }

  it('keeps context words that sit before a chunk border', async () => {
    const t = `${'x '.repeat(300)}case CASE-123456 end`;
    const border = t.indexOf('CASE-');
    const streamed = await collect(analyzeStream([t], analyzer, {}, { chunkChars: border - 64 + 2, overlapChars: 64, contextChars: 40 }));
    assert.equal(streamed.length, 1);
    assert.equal(streamed[0]!.score, analyzer.analyze(t)[0]!.score);
    assert.ok(streamed[0]!.score >= 0.4, 'the context word before the border raised the score');
  });

  it('decodes UTF-8 split anywhere without corrupting characters or offsets', async () => {
    const bytes = Buffer.from(text, 'utf8');
    async function* chunks() {
      for (let i = 0; i < bytes.length; i += 5) yield bytes.subarray(i, i + 5);
    }
    const streamed = await collect(analyzeStream(utf8Chunks(chunks()), analyzer, {}, { chunkChars: 700, overlapChars: 64 }));
    assert.deepEqual(streamed, whole);
    for (const f of streamed.filter((x) => x.entity === 'CASE_ID')) assert.match(text.slice(f.start, f.end), /^CASE-\d{6}$/);
  });
});

describe('Analyzer limits', () => {
  it('refuses a single piece larger than the limit with a clear message', () => {
    assert.throws(() => analyzer.analyze('x'.repeat(8 * 1024 * 1024 + 1)), /limit for one piece.*stream larger inputs/);
  });
});
