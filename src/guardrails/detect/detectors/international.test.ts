import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadPresidioCases, runPresidioConformance } from '../../../../test/conformance/presidio.js';
import { Analyzer } from '../analyzer.js';
import { forEachLeadMatch } from '../digit-runs.js';
import { DENSE_RUN_SPACING, scanInput } from '../scan-input.js';
import type { Detector } from '../types.js';
import { auAbnDetector, auAcnDetector, auMedicareDetector, auTfnDetector } from './au-ids.js';
import { caSinDetector } from './ca-sin.js';
import { inAadhaarDetector, inPanDetector } from './in-ids.js';
import { internationalDetectors } from './international.js';
import { itFiscalCodeDetector } from './it-fiscal-code.js';
import { plPeselDetector } from './pl-pesel.js';
import { sePersonnummerDetector } from './se-personnummer.js';
import { sgNricDetector } from './sg-nric.js';
import { ukDrivingLicenceDetector } from './uk-driving-licence.js';
import { ukNhsDetector } from './uk-nhs.js';
import { ukPassportDetector } from './uk-passport.js';
import { zaIdNumberDetector } from './za-id-number.js';

const ENTITIES = [
  'AU_ABN', 'AU_ACN', 'AU_MEDICARE', 'AU_TFN', 'CA_SIN', 'ES_NIE', 'ES_NIF', 'FI_PERSONAL_IDENTITY_CODE', 'IN_AADHAAR', 'IN_PAN', 'IT_FISCAL_CODE',
  'PL_PESEL', 'SE_PERSONNUMMER', 'SG_NRIC_FIN', 'UK_DRIVING_LICENCE', 'UK_NHS', 'UK_NINO', 'UK_PASSPORT', 'UK_POSTCODE', 'UK_VEHICLE_REGISTRATION', 'ZA_ID_NUMBER',
];

function random(seed: number) {
  let s = seed;
  return (n: number) => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return Math.floor((s / 2 ** 31) * n);
  };
}

describe('international detectors', () => {
  it("cover Presidio's country-specific entities, each detector once", () => {
    assert.deepEqual([...new Set(internationalDetectors.flatMap((d) => d.entities))].sort(), ENTITIES);
    assert.equal(new Set(internationalDetectors.map((d) => d.id)).size, internationalDetectors.length);
  });

  it("pass every Presidio recognizer case for these entities", () => {
    const analyzer = new Analyzer(internationalDetectors);
    const r = runPresidioConformance(analyzer);
    const ours = r.entities.filter((e) => ENTITIES.includes(e.entity));
    assert.equal(ours.length, ENTITIES.length);
    assert.ok(loadPresidioCases().cases.some((c) => c.entity === 'UK_NINO'));
    assert.deepEqual(r.failures.filter((f) => ENTITIES.includes(f.entity)), []);
  });

  it('report nothing above the threshold for hard negatives without context', () => {
    const analyzer = new Analyzer(internationalDetectors);
    const text = [
      'Order 51824753556 (invoice 876543210, PO 4512345678) shipped; FedEx 3123 4567 8909; USPS 9400 1118 9922 3333 4444 55.',
      'Call +61 412 206 104, +44 20 7946 0958, 415-555-0199 or (212) 555-0143; card 4111 1111 1111 1111 exp 12/27.',
      'ts=1712051234 took 8712202384 ms; build 10.0.19045.3570; ISBN 978-3-16-148410-0; request 1108666c-3f2a-4b1c-9d2e-0a1b2c3d4e5f.',
      'Merged ab51cde and fa27bcd; v2 api; SKU AB1234567; part ABCDE1234F; care plan reviewed, regards, processing 130692544.',
    ].join(' ');
    assert.deepEqual(analyzer.analyze(text).map((f) => `${f.entity} ${text.slice(f.start, f.end)} ${f.score}`), []);
  });

  it('declare digit leads that find exactly what a global scan finds', () => {
    const samples = [
      '12345678Z 1111111-G X9613851N y8063915-z 131052-308T 010594Y9032 is030594W903B',
      'AB 12 34 56 C tw987654a Number YZ 61 48 68 B PR 123612C',
      'M1 1AA EC1A1BB GIR 0AA DN55 1PT sw1a 1aa',
      'AB51 ABC LN14-HGT A123 BCD ABC 123D ABC 1D K1 ABC 8FT7-Y64-AA10',
    ];
    const next = random(3);
    const alphabet = ['1', '12', '123', '1234567', '12345678', 'A', 'AB', 'XYZ', 'Y', 'gir', ' ', '-', '+', 'x', '\n'];
    for (let i = 0; i < 2000; i++) {
      let s = '';
      for (let n = 1 + next(12); n > 0; n--) s += alphabet[next(alphabet.length)];
      samples.push(s);
    }
    let leads = 0;
    for (const d of internationalDetectors) {
      for (const { regex, lead } of d.leads ?? []) {
        leads++;
        for (const sample of samples) {
          const text = sample + ' '.repeat(sample.length * DENSE_RUN_SPACING);
          const viaLead: Array<[number, string]> = [];
          forEachLeadMatch(scanInput(text), regex, lead, (m, start) => {
            viaLead.push([start, m[0]]);
            return undefined;
          });
          const global: Array<[number, string]> = [];
          regex.lastIndex = 0;
          for (let m = regex.exec(text); m; m = regex.exec(text)) global.push([m.index, m[0]]);
          assert.deepEqual(viaLead, global, `${d.id} on ${JSON.stringify(sample)}`);
        }
      }
    }
    assert.ok(leads >= 5, `${leads} leads`);
  });
});

/** Presidio's patterns, whole: every finding of the shared-index detectors must be one. */
const PRESIDIO: Array<[Detector, RegExp, string[]]> = [
  [auAbnDetector, /^(?:\d{2}\s\d{3}\s\d{3}\s\d{3}|\d{11})$/, ['51 824 753 556', '51824753556']],
  [auAcnDetector, /^(?:\d{3}\s\d{3}\s\d{3}|\d{9})$/, ['005 499 981', '006249976']],
  [auTfnDetector, /^(?:\d{3}\s\d{3}\s\d{3}|\d{9})$/, ['876 543 210', '876543210']],
  [auMedicareDetector, /^(?:[2-6]\d{3}\s\d{5}\s\d|[2-6]\d{9})$/, ['2123 45670 1', '2123456701']],
  [caSinDetector, /^(?:[1-79]\d{8}|[1-79]\d{2}([- ])\d{3}\1\d{3})$/, ['130 692 544', '347-677-452', '130692544']],
  [inAadhaarDetector, /^(?:\d{12}|\d{4}[- :]\d{4}[- :]\d{4})$/, ['312345678909', '3123 4567 8909', '3123-4567:8909']],
  [ukNhsDetector, /^\d{3}[- ]?\d{3}[- ]?\d{4}$/, ['943 476 5919', '943-476-5919', '9434765919', '943476 5919']],
  [plPeselDetector, /^\d{2}(?:[02468][1-9]|[13579][012])(?:0[1-9]|[12]\d|3[01])\d{5}$/, ['44051401458', '02070803628']],
  [sePersonnummerDetector, /^\d{6,8}[-+]?\d{4}$/, ['871220-2384', '871220+2384', '198712202384', '8712202384']],
  [zaIdNumberDetector, /^\d{10}[0-2][89]\d$/, ['8001015009087', '0002294321191']],
  [ukPassportDetector, /^[A-Z]{2}\d{7}$/i, ['AB1234567']],
  [sgNricDetector, /^[A-Z]\d{7}[A-Z]$/i, ['S1234567D', 'T1234567Z']],
  [inPanDetector, /^[A-Z]{5}\d{4}[A-Z]$/i, ['AAAPL1234C']],
  [
    itFiscalCodeDetector,
    /^(?:(?:[A-Z][AEIOU][AEIOUX]|[AEIOU]X{2}|[B-DF-HJ-NP-TV-Z]{2}[A-Z]){2}(?:[\dLMNP-V]{2}(?:[A-EHLMPR-T](?:[04LQ][1-9MNP-V]|[15MR][\dLMNP-V]|[26NS][0-8LMNP-U])|[DHPS][37PT][0L]|[ACELMRT][37PT][01LM]|[AC-EHLMPR-T][26NS][9V])|(?:[02468LNQSU][048LQU]|[13579MPRTV][26NS])B[26NS][9V])(?:[A-MZ][1-9MNP-V][\dLMNP-V]{2}|[A-M][0L](?:[1-9MNP-V][\dLMNP-V]|[0L][1-9MNP-V]))[A-Z])$/i,
    ['RSSMRA85T10A562S', 'RSSMRA85T10A56NH'],
  ],
  [ukDrivingLicenceDetector, /^[A-Z9]{5}\d(?:0[1-9]|1[0-2]|5[1-9]|6[0-2])(?:0[1-9]|[12]\d|3[01])\d[A-Z9]{2}[A-Z0-9][A-Z]{2}$/i, ['MORGA607054SM9IJ', 'FO999512018AA1AB']],
];

describe("shared-index detectors against Presidio's patterns", () => {
  for (const [detector, pattern, seeds] of PRESIDIO) {
    it(`${detector.id}: finds its values in context, and only spans Presidio's pattern matches`, () => {
      const analyzer = new Analyzer([detector]);
      const raw = (text: string) => analyzer.analyze(text, { minScore: 0, context: false });
      for (const seed of seeds) {
        for (const [before, after] of [['', ''], ['ID ', '.'], ['(', ')'], ['x: ', '\n'], ['on 12/05: ', ', 7 days']]) {
          const text = `${before}${seed}${after}`;
          assert.deepEqual(raw(text).map((f) => text.slice(f.start, f.end)), [seed], JSON.stringify(text));
        }
      }
      // Mutated seeds: digits, letters and separators swapped in and out.
      const next = random(17);
      const alphabet = '0123456789 -:+.AZTSX9';
      let found = 0;
      for (let i = 0; i < 8000; i++) {
        const chars = [...seeds[next(seeds.length)]!];
        for (let n = next(3); n >= 0; n--) chars[next(chars.length)] = alphabet[next(alphabet.length)]!;
        const text = (next(2) ? 'ref ' : '') + chars.join('') + (next(2) ? ' 12' : '');
        for (const f of raw(text)) {
          assert.match(text.slice(f.start, f.end), pattern, JSON.stringify(text));
          found++;
        }
      }
      assert.ok(found >= 50, `only ${found} findings among the mutations`);
    });
  }
});
