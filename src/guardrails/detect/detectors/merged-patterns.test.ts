/**
 * Several detectors run Presidio's patterns of one recognizer as a single alternation (one pass
 * instead of two to five). Here each is checked against Presidio's original patterns, run one by
 * one as Presidio does (same span: highest score), on random strings of the right alphabet.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scanInput } from '../scan-input.js';
import type { Detector } from '../types.js';
import { abaChecksumValid, abaRoutingDetector } from './aba-routing.js';
import { digitsOf } from './digit-checks.js';
import { itinGroupValid, usItinDetector } from './us-itin.js';
import { usMbiDetector } from './us-mbi.js';
import { npiChecksumValid, npiDegenerate, usNpiDetector } from './us-npi.js';
import { usPassportDetector } from './us-passport.js';
import { ssnInvalid, usSsnDetector } from './us-ssn.js';

type Reference = Array<[RegExp, number]>;

const MBI_N = '[0-9]';
const MBI_A = '[ACDEFGHJKMNPQRTUVWXY]';
const MBI_AN = '[0-9ACDEFGHJKMNPQRTUVWXY]';
const ITIN_G = '(5\\d|6[0-5]|7\\d|8[0-8]|9([0-2]|[4-9]))';

interface Case {
  detector: Detector;
  reference: Reference;
  /** Valid-looking values to mutate, so random inputs come near the patterns often. */
  seeds: string[];
  alphabet: string;
  keep: (v: string) => boolean;
  scored: boolean;
}

const cases: Case[] = [
  {
    detector: usSsnDetector,
    seeds: ['536-22-1234', '536221234', '53622-1234', '536-221234', '536 22.1234'],
    reference: [
      [/\b([0-9]{5})-([0-9]{4})\b/g, 0.05],
      [/\b([0-9]{3})-([0-9]{6})\b/g, 0.05],
      [/\b(([0-9]{3})-([0-9]{2})-([0-9]{4}))\b/g, 0.05],
      [/\b[0-9]{9}\b/g, 0.05],
      [/\b([0-9]{3})[- .]([0-9]{2})[- .]([0-9]{4})\b/g, 0.5],
    ],
    alphabet: '1234567899 -.x',
    keep: (v) => !ssnInvalid(v),
    scored: true,
  },
  {
    detector: usItinDetector,
    seeds: ['911-70-1234', '911701234', '911-701234', '91170-1234', '911 94 1234'],
    reference: [
      [new RegExp(`\\b9\\d{2}[- ]${ITIN_G}\\d{4}\\b|\\b9\\d{2}${ITIN_G}[- ]\\d{4}\\b`, 'g'), 0.05],
      [new RegExp(`\\b9\\d{2}${ITIN_G}\\d{4}\\b`, 'g'), 0.3],
      [new RegExp(`\\b9\\d{2}[- ]${ITIN_G}[- ]\\d{4}\\b`, 'g'), 0.5],
    ],
    alphabet: '99975601234 -x',
    keep: () => true,
    scored: true,
  },
  {
    detector: usPassportDetector,
    seeds: ['912803456', 'A12803456', 'z12803456'],
    reference: [
      [/(\b[0-9]{9}\b)/g, 0.05],
      [/(\b[A-Z][0-9]{8}\b)/gi, 0.1],
    ],
    alphabet: '0123456789Aa -',
    keep: () => true,
    scored: true,
  },
  {
    detector: usNpiDetector,
    seeds: ['1234567893', '1234-567-893', '1245 319 599', '1245319599'],
    reference: [
      [/\b[12]\d{9}\b/g, 0.1],
      [/\b[12]\d{3}[ -]\d{3}[ -]\d{3}\b/g, 0.4],
    ],
    alphabet: '11223456789 -',
    keep: (v) => npiChecksumValid(digitsOf(v)) && !npiDegenerate(digitsOf(v)),
    scored: false, // validation sets every score
  },
  {
    detector: abaRoutingDetector,
    seeds: ['121000358', '0711-0130-7', '3222-7162-7', '121042882'],
    reference: [
      [/\b[0123678]\d{8}\b/g, 0.05],
      [/\b[0123678]\d{3}-\d{4}-\d\b/g, 0.3],
    ],
    alphabet: '0123456789 -',
    keep: (v) => abaChecksumValid(digitsOf(v)),
    scored: false,
  },
  {
    detector: usMbiDetector,
    seeds: ['1EG4-TE5-MK73', '1EG4TE5MK73', '9XX9-XX9-XX99', '4ef6gh8jk12'],
    reference: [
      [new RegExp(`\\b${MBI_N}${MBI_A}${MBI_AN}${MBI_N}${MBI_A}${MBI_AN}${MBI_N}${MBI_A}${MBI_A}${MBI_N}${MBI_N}\\b`, 'gi'), 0.3],
      [new RegExp(`\\b${MBI_N}${MBI_A}${MBI_AN}${MBI_N}-${MBI_A}${MBI_AN}${MBI_N}-${MBI_A}${MBI_A}${MBI_N}${MBI_N}\\b`, 'gi'), 0.5],
    ],
    alphabet: '0123456789EGKMTe-- ',
    keep: () => true,
    scored: true,
  },
];

function seeded(seed: number) {
  return () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
}

describe('single-pass patterns agree with Presidio’s separate patterns', () => {
  for (const c of cases) {
    it(c.detector.id, () => {
      const rnd = seeded(c.detector.id.length * 7919);
      let matched = 0;
      for (let i = 0; i < 3000; i++) {
        const pick = (xs: string) => xs[Math.floor(rnd() * xs.length)]!;
        let s = '';
        for (let piece = 0; piece < 3; piece++) {
          const chars = [...c.seeds[Math.floor(rnd() * c.seeds.length)]!];
          for (let m = Math.floor(rnd() * 3); m > 0; m--) {
            const at = Math.floor(rnd() * (chars.length + 1));
            const op = rnd();
            if (op < 0.4) chars[at] = pick(c.alphabet);
            else if (op < 0.7) chars.splice(at, 1);
            else chars.splice(at, 0, pick(c.alphabet));
          }
          s += chars.join('') + pick(' -.x,');
        }
        const best = new Map<string, number>();
        for (const [regex, score] of c.reference) {
          for (const m of s.matchAll(regex)) {
            if (!c.keep(m[0])) continue;
            const key = `${m.index}:${m.index + m[0].length}`;
            best.set(key, Math.max(best.get(key) ?? 0, score));
          }
        }
        const expected = [...best].map(([k, v]) => (c.scored ? `${k}@${v}` : k)).sort();
        const got = c.detector
          .detect(scanInput(s))
          .map((f) => (c.scored ? `${f.start}:${f.end}@${f.score}` : `${f.start}:${f.end}`))
          .sort();
        assert.deepEqual(got, expected, JSON.stringify(s));
        matched += got.length;
      }
      assert.ok(matched > 500, `only ${matched} matches: the random strings do not exercise the patterns`);
    });
  }
});
