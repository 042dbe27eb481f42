import assert from 'node:assert/strict';
import { isIPv4, isIPv6 } from 'node:net';
import { describe, it } from 'node:test';
import { isValidIBAN } from 'ibantools';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import {
  abaValid, btcAddressValid, cardValid, deaValid, ibanValid, isbnValid, itinValid, luhnValid, mbiValid, nhsValid, npiValid, ssnValid, vinValid,
} from '../checks.js';
import { GENERIC_MENTIONS, GENRES } from './genres/index.js';
import { DEFAULT_NEGATIVES, DEFAULT_POSITIVES, ENTITIES, type Sample, generateCorpus, negativeSample, positiveSample } from './index.js';
import { NEGATIVE_CATEGORIES } from './negatives.js';
import { verifyCorpus } from './verify.js';

const corpus = generateCorpus({ seed: 7 });
const positives = corpus.filter((s) => s.kind === 'positive');
const negatives = corpus.filter((s) => s.kind === 'negative');
const labelsOf = (entity: string) => positives.flatMap((s) => s.labels.filter((l) => l.entity === entity && !l.optional));

describe('corpus generator', () => {
  it('is deterministic for a seed, and a smaller corpus is a prefix of a larger one', () => {
    const a = generateCorpus({ seed: 'abc', positives: 60, negatives: 30 });
    const b = generateCorpus({ seed: 'abc', positives: 60, negatives: 30 });
    assert.deepEqual(a, b);
    assert.deepEqual(generateCorpus({ seed: 'abc', positives: 10, negatives: 0 }), a.slice(0, 10));
    assert.deepEqual(positiveSample('abc', 42), a[42]);
    assert.deepEqual(negativeSample('abc', 5), a[65]);
    const other = generateCorpus({ seed: 'abd', positives: 60, negatives: 30 });
    assert.ok(other.filter((s, i) => s.text !== a[i]!.text).length > 80, 'another seed gives other texts');
  });

  it('has the default size: at least 2,000 positive and 1,000 hard-negative texts', () => {
    assert.ok(DEFAULT_POSITIVES >= 2000 && DEFAULT_NEGATIVES >= 1000);
    assert.equal(positives.length, DEFAULT_POSITIVES);
    assert.equal(negatives.length, DEFAULT_NEGATIVES);
    assert.equal(new Set(corpus.map((s) => s.text)).size > corpus.length * 0.95, true, 'texts are not repeats');
  });

  it('passes its own consistency checks', () => {
    assert.deepEqual(verifyCorpus(corpus), []);
  });

  it('labels slice the text to exactly the value', () => {
    let n = 0;
    for (const s of corpus) {
      for (const l of s.labels) {
        assert.equal(s.text.slice(l.start, l.end), l.value, `${s.id} ${l.entity}`);
        n++;
      }
    }
    assert.ok(n > 8000);
  });

  it('writes every entity often, in several formats and genres', () => {
    for (const e of ENTITIES) {
      const ls = labelsOf(e);
      assert.ok(ls.length >= 150, `${e}: ${ls.length} labels`);
      const genres = new Set(positives.filter((s) => s.labels.some((l) => l.entity === e)).map((s) => s.genre));
      assert.ok(genres.size >= 5, `${e} appears in ${genres.size} genres`);
    }
    const formats = (e: string) => new Set(labelsOf(e).map((l) => l.format));
    assert.deepEqual([...new Set([...formats('CREDIT_CARD')].map((f) => f.split('/')[1]))].sort(), ['dash', 'none', 'space']);
    assert.ok([...formats('CREDIT_CARD')].map((f) => f.split('/')[0]).filter((v, i, a) => a.indexOf(v) === i).length >= 6, 'card brands');
    assert.deepEqual([...formats('US_SSN')].sort(), ['dashed', 'plain', 'spaced']);
    assert.ok(formats('IBAN_CODE').size >= 16, 'IBAN countries × grouped/plain');
    for (const f of ['us (xxx) xxx-xxxx', 'us xxx-xxx-xxxx', 'us xxx.xxx.xxxx', 'us +1 xxx xxx xxxx', 'gb international', 'de international', 'fr international']) {
      assert.ok(formats('PHONE_NUMBER').has(f), `phone format ${f}`);
    }
    assert.ok(formats('IP_ADDRESS').has('v4') && formats('IP_ADDRESS').has('v6-full') && formats('IP_ADDRESS').has('v6-compressed'));
    for (const f of ['mm/dd/yyyy', 'month d, yyyy', 'iso']) assert.ok(formats('DATE_TIME').has(f), `date format ${f}`);
  });

  it('puts entities at the very start and the very end of some texts', () => {
    const starts = positives.filter((s) => s.labels.some((l) => l.start === 0 && !l.optional)).length;
    const ends = positives.filter((s) => s.labels.some((l) => l.end === s.text.trimEnd().length && !l.optional)).length;
    assert.ok(starts > 30 && ends > 30, `${starts} at start, ${ends} at end`);
  });

  it('gives plain 9-digit SSNs their context', () => {
    for (const s of positives) {
      for (const l of s.labels.filter((x) => x.entity === 'US_SSN' && x.format === 'plain')) {
        const near = s.text.slice(Math.max(0, l.start - 60), l.start).toLowerCase();
        assert.match(near, /ssn|ss#|social|soc sec|w-2/, `${s.id}: ${near}`);
      }
    }
  });

  it('produces hard negatives of every category, without entities', () => {
    const cats = new Set(negatives.map((s) => s.genre));
    assert.deepEqual([...cats].sort(), Object.keys(NEGATIVE_CATEGORIES).sort());
    for (const s of negatives) assert.equal(s.labels.filter((l) => !l.optional).length, 0, s.id);
    for (const s of negatives) assert.ok(s.segments.length > 0 && s.segments.every((g) => g.end > g.start));
  });

  it('makes the Luhn-failing 16-digit numbers fail Luhn, and ISBNs valid', () => {
    let fail = 0;
    let isbn = 0;
    for (const s of negatives) {
      for (const g of s.segments) {
        const part = s.text.slice(g.start, g.end);
        if (g.category === 'luhn-failing-16') {
          for (const m of part.matchAll(/\d{4}[ -]?\d{4}[ -]?\d{4}[ -]?\d{4}/g)) {
            assert.ok(!luhnValid(m[0]), m[0]);
            fail++;
          }
        }
        if (g.category === 'isbn') {
          for (const m of part.matchAll(/(?:97[89]-?\d[\d-]{11,14}|\d-\d{3}-\d{5}-[\dX])/g)) {
            assert.ok(isbnValid(m[0]), m[0]);
            isbn++;
          }
        }
      }
    }
    assert.ok(fail > 50 && isbn > 50, `${fail} Luhn-failing, ${isbn} ISBNs checked`);
  });
});

describe('generated values are valid', () => {
  const each = (entity: string, check: (v: string) => boolean) => {
    const ls = labelsOf(entity);
    assert.ok(ls.length > 100, `${entity}: ${ls.length}`);
    for (const l of ls) assert.ok(check(l.value), `${entity} ${l.format}: ${l.value}`);
  };

  it('cards pass Luhn with consistent separators', () => each('CREDIT_CARD', cardValid));
  it('IBANs pass mod 97, and ibantools agrees (national check digits included)', () => {
    each('IBAN_CODE', ibanValid);
    each('IBAN_CODE', (v) => isValidIBAN(v.replace(/ /g, '')));
  });
  it('ABA routing numbers pass their checksum', () => each('ABA_ROUTING_NUMBER', abaValid));
  it('SSNs have valid area, group and serial', () => each('US_SSN', ssnValid));
  it('ITINs have a valid group', () => each('US_ITIN', itinValid));
  it('NPIs pass Luhn with 80840', () => each('US_NPI', npiValid));
  it("DEA numbers pass the check digit and carry the prescriber's initial", () => {
    each('MEDICAL_LICENSE', deaValid);
    for (const s of positives) {
      const dea = s.labels.find((l) => l.entity === 'MEDICAL_LICENSE');
      const prescriber = s.text.match(/Prescriber ([A-Z][\w' ]+?), DEA/);
      if (dea && prescriber) assert.equal(dea.value[1], prescriber[1]!.split(' ').at(-1)![0]);
    }
  });
  it('VINs pass the position-9 check', () => each('VIN', vinValid));
  it('MBIs follow the CMS layout', () => each('US_MBI', mbiValid));
  it('NHS numbers pass modulus 11', () => each('UK_NHS', nhsValid));
  it('bitcoin addresses pass base58check', () => each('CRYPTO', btcAddressValid));
  it('phone numbers are valid for libphonenumber (full metadata)', () => each('PHONE_NUMBER', (v) => parsePhoneNumberFromString(v, 'US')?.isValid() === true));
  it('IP addresses parse', () => each('IP_ADDRESS', (v) => isIPv4(v) || isIPv6(v)));
  it('URLs parse', () => each('URL', (v) => URL.canParse(/^https?:\/\//.test(v) ? v : `http://${v}`)));
  it('email addresses are well formed', () => each('EMAIL_ADDRESS', (v) => /^[A-Za-z0-9._+-]+@[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(v)));
  it('birth dates are in the past century', () => {
    for (const l of labelsOf('DATE_TIME')) assert.match(l.value, /(19[2-9]\d|200[0-6]|\/\d\d$)/, l.value);
  });
});

describe('templates', () => {
  const slot = (entity: string) => new RegExp(`\\{\\??${entity}(:[\\w-]+)?\\}`);
  it('every entity has generic mentions, each naming it', () => {
    for (const e of ENTITIES) {
      const list = GENERIC_MENTIONS[e];
      assert.ok(list && list.length >= 3, e);
      for (const t of list) assert.match(t, slot(e));
    }
  });
  it("genre mentions name the entity they are filed under, and genres' filler names none", () => {
    for (const [g] of GENRES) {
      for (const [e, list] of Object.entries(g.mentions)) for (const t of list ?? []) assert.match(t, slot(e), `${g.name} ${e}`);
      for (const t of g.filler) assert.doesNotMatch(t, /\{[A-Z][A-Z0-9_]*(:[\w-]+)?\}/, `${g.name} filler: ${t}`);
    }
  });
  it('every sample is built from the generic or a genre template (spot check on structure)', () => {
    const s: Sample = positiveSample(1, 0);
    assert.ok(s.segments.some((g) => g.category === `mention:${ENTITIES[0]}`));
  });
});
