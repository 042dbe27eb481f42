import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forEachDigitToken } from './detectors/anchored-scan.js';
import { forEachLeadMatch, runFits } from './digit-runs.js';
import { builtinDetectors } from './registry.js';
import { DENSE_RUN_SPACING, scanInput } from './scan-input.js';
import type { DigitLeads } from './types.js';

/**
 * Deterministic pseudo-random strings built the way identifiers are written: groups of digits of
 * any length, joined by the separators numbers use, next to letters, words and punctuation.
 */
function randomTexts(count: number, seed = 7): string[] {
  let s = seed;
  const next = (n: number) => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return Math.floor((s / 2 ** 31) * n);
  };
  const pick = <T>(xs: readonly T[]): T => xs[next(xs.length)]!;
  const separators = [' ', ' ', '-', '-', '.', '/', ':', '(', ')', '+', ',', '#', '_', '\n', '\t', '$', '=', "'", ', '];
  const letters = ['a', 'x', 'X', 'Z', 'A', 'Q', 'e', 'DE', 'GB', 'NY', 'ABC', 'pm', 'PM', 'am', 'st', 'th', 'Box', 'PO', 'VIN', 'é', '😀'];
  const words = [' the ', ' call ', ' SSN ', ' Main St ', ' Jan ', ' March ', ' at ', ' routing ', ' on '];
  const digits = () => {
    let d = '';
    for (let n = 1 + next(next(3) === 0 ? 20 : 10); n > 0; n--) d += String(next(10));
    return d;
  };
  const out: string[] = [];
  for (let t = 0; t < count; t++) {
    let text = '';
    for (let n = 1 + next(24); n > 0; n--) {
      const k = next(10);
      text += k < 5 ? digits() : k < 8 ? pick(separators) : k < 9 ? pick(letters) : pick(words);
    }
    out.push(text);
  }
  return out;
}

/** Values of the shapes the leads cover, so that each is met whole and in context. */
const SAMPLES = [
  '536-22-1234 536221234 53622-1234 536-221234 536 22.1234', '121000358 0711-0130-7', '1234567893 1234-567-893 1234 567 893',
  '911-70-1234 911 94 1234', 'acct 12345678901234567', 'A12345678 123456789', 'AB1234563 A91234563', '1EG4-TE5-MK73 1EG4TE5MK73',
  '4111 1111 1111 1111 4111-1111-1111-1111 378282246310005 2221000000000009', 'DE89 3704 0044 0532 0130 00 GB82WEST12345698765432',
  '(212) 555-0143 +44 20 7946 0958 415.555.0199', '192.168.1.20 10.0.12.7/24', 'Springfield, IL 62704-1234 62704', '221B Baker Street 221b Baker St 1600 Pennsylvania Ave NW',
  '2024-09-21T08:36:00Z 04/12/1961 1.2.2021 5/2021 12/2021 11/24 14:30 2:30 pm 3pm 3 p.m. 3PM 11 AM 12 P.M. 4Am', '35-209900-176148-1 35 209900 176148 1', 'MRN 00482913 A-99812 XYZ123456789-01',
];

/** Every match of a g-flag regex from a plain global scan: [start, text]. */
function globalMatches(text: string, regex: RegExp): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  regex.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = regex.exec(text))) {
    if (m[0].length === 0) {
      regex.lastIndex++;
      continue;
    }
    out.push([m.index, m[0]]);
  }
  return out;
}

/** `text` with spaces after it, so that its digit runs are sparse enough to be listed. */
function sparse(text: string): string {
  const runs = text.match(/[0-9]+/g)?.length ?? 0;
  return text + ' '.repeat(runs * DENSE_RUN_SPACING);
}

function leadMatches(text: string, regex: RegExp, lead: DigitLeads): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  forEachLeadMatch(scanInput(text), regex, lead, (m, start) => {
    out.push([start, m[0]]);
    return undefined;
  });
  return out;
}

describe('digit runs', () => {
  it('indexes every maximal run of ASCII digits, in order — unless they are packed densely', () => {
    for (const text of [...randomTexts(300).map(sparse), ...randomTexts(300), '', 'no digits', sparse('1'), sparse('٣ 12 ٤5')]) {
      const runs = scanInput(text).digitRuns();
      const want = [...text.matchAll(/[0-9]+/g)].map((m) => `${m.index}:${m[0]}`);
      if (!runs) {
        assert.ok(want.length * DENSE_RUN_SPACING > text.length, `runs not listed for ${JSON.stringify(text)}`);
        continue;
      }
      const got: string[] = [];
      for (let i = 0; i < runs.count; i++) got.push(`${runs.start[i]}:${text.slice(runs.start[i]!, runs.end[i]!)}`);
      assert.deepEqual(got, want, JSON.stringify(text));
    }
    assert.equal(scanInput('1-2-3-4-5-6-7-8-9-0 '.repeat(50)).digitRuns(), undefined);
  });

  it('finds exactly what a global scan finds, for every lead a built-in detector declares', () => {
    // Sparse, so that the lead is what runs (dense digits take a regex pass, trivially the same).
    const texts = [...SAMPLES, ...randomTexts(4000)].map(sparse);
    let leads = 0;
    for (const d of builtinDetectors()) {
      for (const { regex, lead } of d.leads ?? []) {
        leads++;
        for (const text of texts) {
          assert.deepEqual(leadMatches(text, regex, lead), globalMatches(text, regex), `${d.id} /${regex.source}/ on ${JSON.stringify(text)}`);
        }
      }
    }
    assert.ok(leads >= 15, `only ${leads} leads declared`);
  });

  it('catches a lead that claims too little', () => {
    // `\d{3}-\d{4}` matches inside longer runs too: a lead of runs [3] misses "1234-5678"'s match.
    const text = sparse('call 555-0100 or 1555-0100');
    assert.notDeepEqual(leadMatches(text, /\d{3}-\d{4}/g, { runs: [3] }), globalMatches(text, /\d{3}-\d{4}/g));
  });

  it('tries a match before the run only over the allowed characters, and resumes where told', () => {
    const text = sparse('A12345678 x12345678 (555) 1234');
    assert.deepEqual(leadMatches(text, /\b[A-Z]\d{8}\b/g, { runs: [8], before: 1, beforeChars: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ' }), [[0, 'A12345678']]);
    assert.deepEqual(leadMatches(text, /\(\d{3}\)/g, { runs: [3], before: { min: 1, max: 1 }, beforeChars: '(' }), [[20, '(555)']]);
    const seen: number[] = [];
    forEachLeadMatch(scanInput(sparse('1 2 3 4 5 6')), /\d/g, { runs: [1] }, (_m, start) => {
      seen.push(start);
      return start + 3;
    });
    assert.deepEqual(seen, [0, 4, 8]);
  });

  it('checks the character after the run when the lead names it', () => {
    assert.deepEqual(leadMatches(sparse('12:30 12 30 12.5'), /\d{1,2}[:.]\d+/g, { runs: [1, 2], next: ':.' }), [
      [0, '12:30'],
      [12, '12.5'],
    ]);
  });

  it('reads run lengths as lists or ranges, and refuses lengths it cannot index', () => {
    assert.equal(runFits({ runs: [3, 5] }, 5), true);
    assert.equal(runFits({ runs: [3, 5] }, 4), false);
    assert.equal(runFits({ runs: { min: 8, max: 17 } }, 17), true);
    assert.equal(runFits({ runs: { min: 8, max: 17 } }, 18), false);
    assert.equal(runFits({ runs: { min: 4 } }, 500), true);
    assert.throws(() => runFits({ runs: [70] }, 70), /run lengths/);
    assert.throws(() => leadMatches('1', /1/, { runs: [1] }), /g flag/);
  });

  it('visits each token holding a fitting run once, in order — from the runs, or by the anchor when digits are dense', () => {
    const isWord = (c: number) => /\w/.test(String.fromCharCode(c));
    const tokens = (text: string) => {
      const out: string[] = [];
      forEachDigitToken(scanInput(text), isWord, (_t, s, e) => e - s >= 2, (s, e) => out.push(text.slice(s, e)), /\d{2}/g);
      return out;
    };
    const text = 'ab12cd-3456789 x_1 99 A-1234567';
    assert.deepEqual(tokens(sparse(text)), ['ab12cd', '3456789', '99', '1234567']);
    assert.equal(scanInput(text).digitRuns(), undefined);
    assert.deepEqual(tokens(text), ['ab12cd', '3456789', '99', '1234567']);
  });
});
