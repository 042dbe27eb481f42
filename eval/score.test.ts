import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding } from '../src/guardrails/detect/types.js';
import type { Label, Sample } from './corpus/index.js';
import { scoreCorpus, scoreSample } from './score.js';

function sample(id: string, kind: Sample['kind'], text: string, spans: Array<[string, string, boolean?]>): Sample {
  const labels: Label[] = spans.map(([entity, value, optional]) => {
    const start = text.indexOf(value);
    assert.ok(start >= 0, `${value} not in text`);
    return { entity, start, end: start + value.length, value, format: 'test', ...(optional ? { optional: true } : {}) };
  });
  return { id, kind, genre: 'test', text, labels, segments: [{ category: 'body', start: 0, end: text.length }] };
}
const at = (s: Sample, entity: string, value: string, detector = 'fake', shift = [0, 0]): Finding => {
  const start = s.text.indexOf(value);
  return { entity, start: start + shift[0]!, end: start + value.length + shift[1]!, score: 0.9, detector };
};

describe('scoreSample', () => {
  const text = 'SSN 123-45-6789, call (415) 823-4411 or mail a@b.co on 03/04/2024.';
  const s = sample('p1', 'positive', text, [['US_SSN', '123-45-6789'], ['PHONE_NUMBER', '(415) 823-4411'], ['EMAIL_ADDRESS', 'a@b.co'], ['DATE_TIME', '03/04/2024', true]]);

  it('counts exact, partial, missed, false and ignored findings', () => {
    const r = scoreSample(s, [
      at(s, 'US_SSN', '123-45-6789'), // exact TP
      at(s, 'PHONE_NUMBER', '(415) 823-4411', 'fake', [1, 0]), // partial TP: "415) 823-4411"
      at(s, 'PHONE_NUMBER', '823-4411'), // second finding on the same label: duplicate FP
      at(s, 'US_BANK_NUMBER', '123-45-6789'), // another entity's span: FP
      at(s, 'ZIP', 'call'), // nowhere: spurious FP
      at(s, 'DATE_TIME', '03/04/2024'), // don't-care span: ignored
    ]);
    assert.equal(r.matches.length, 2);
    assert.deepEqual(r.matches.map((m) => [m.label.entity, m.exact]), [['US_SSN', true], ['PHONE_NUMBER', false]]);
    assert.deepEqual(r.falsePositives.map((f) => [f.finding.entity, f.reason]).sort(), [['PHONE_NUMBER', 'duplicate'], ['US_BANK_NUMBER', 'overlaps-other-entity'], ['ZIP', 'spurious']]);
    assert.deepEqual(r.misses.map((l) => l.entity), ['EMAIL_ADDRESS']);
    assert.equal(r.ignored.length, 1);
  });

  it('does not match a finding of another entity, nor one that only touches the span', () => {
    const touching: Finding = { entity: 'US_SSN', start: s.labels[0]!.end, end: s.labels[0]!.end + 2, score: 1, detector: 'x' };
    const r = scoreSample(s, [at(s, 'PHONE_NUMBER', '123-45-6789'), touching]);
    assert.equal(r.matches.length, 0);
    assert.equal(r.falsePositives.length, 2);
    assert.equal(r.misses.length, 3);
  });

  it('matches findings to nested labels of their own entity', () => {
    const t = 'Address: 12 Oak St, Austin, TX 78701';
    const nested = sample('p3', 'positive', t, [['LOCATION', '12 Oak St, Austin, TX 78701'], ['US_ZIP_CODE', '78701']]);
    const r = scoreSample(nested, [at(nested, 'US_ZIP_CODE', '78701'), at(nested, 'LOCATION', 'Austin, TX 78701')]);
    assert.deepEqual(r.matches.map((m) => [m.label.entity, m.exact]), [['LOCATION', false], ['US_ZIP_CODE', true]]);
    assert.equal(r.falsePositives.length + r.misses.length, 0);
  });

  it('pairs one finding with one label, by largest overlap', () => {
    const t = 'cards 4111111111111111 4242424242424242';
    const two = sample('p2', 'positive', t, [['CREDIT_CARD', '4111111111111111'], ['CREDIT_CARD', '4242424242424242']]);
    const merged: Finding = { entity: 'CREDIT_CARD', start: two.labels[0]!.start, end: two.labels[1]!.end, score: 1, detector: 'x' };
    const r = scoreSample(two, [merged]);
    assert.equal(r.matches.length, 1);
    assert.equal(r.misses.length, 1);
  });
});

describe('scoreCorpus', () => {
  const p = sample('p1', 'positive', 'SSN 123-45-6789 and card 4111 1111 1111 1111.', [['US_SSN', '123-45-6789'], ['CREDIT_CARD', '4111 1111 1111 1111']]);
  const n1 = sample('n1', 'negative', 'Order 112-4839201-5529014 shipped.', []);
  const n2 = sample('n2', 'negative', 'Build 10.0.19045.2965', []);
  const score = scoreCorpus(
    [
      { sample: p, findings: [at(p, 'US_SSN', '123-45-6789'), at(p, 'PHONE_NUMBER', '123-45-6789')] },
      { sample: n1, findings: [at(n1, 'PHONE_NUMBER', '4839201-5529014', 'phone'), at(n1, 'US_BANK_NUMBER', '5529014', 'bank')] },
      { sample: n2, findings: [] },
    ],
    { supported: ['US_SSN', 'PHONE_NUMBER', 'US_BANK_NUMBER'], checksumEntities: ['PHONE_NUMBER'] },
  );

  it('computes per-entity precision, recall and F1', () => {
    const ssn = score.entities.US_SSN!;
    assert.deepEqual([ssn.tp, ssn.fpPositive, ssn.fpNegative, ssn.fn, ssn.precision, ssn.recall, ssn.f1], [1, 0, 0, 0, 1, 1, 1]);
    const phone = score.entities.PHONE_NUMBER!;
    assert.deepEqual([phone.labels, phone.tp, phone.fpPositive, phone.fpNegative, phone.precision, phone.recall], [0, 0, 1, 1, 0, null]);
    const card = score.entities.CREDIT_CARD!;
    assert.deepEqual([card.labels, card.fn, card.recall, card.precision], [1, 1, 0, null]);
  });

  it('micro-averages over all labels and over supported entities', () => {
    assert.deepEqual([score.overall.all.tp, score.overall.all.fpPositive + score.overall.all.fpNegative, score.overall.all.fn], [1, 3, 1]);
    const sup = score.overall.supported!;
    assert.deepEqual([sup.tp, sup.fpPositive + sup.fpNegative, sup.fn], [1, 3, 0], 'CREDIT_CARD is not supported, so its miss is not counted');
    assert.equal(sup.precision, 0.25);
  });

  it('reports false findings per 100 hard negatives', () => {
    const n = score.negatives;
    assert.deepEqual([n.texts, n.textsWithFindings, n.falseFindings, n.per100Texts, n.checksumFalseFindings, n.checksumPer100Texts], [2, 1, 2, 100, 1, 50]);
    assert.deepEqual(n.byEntity, { PHONE_NUMBER: 1, US_BANK_NUMBER: 1 });
    assert.deepEqual(n.byDetector, { phone: 1, bank: 1 });
  });

  it('keeps error records with their values', () => {
    assert.deepEqual(score.errors.filter((e) => e.kind === 'fn').map((e) => e.value), ['4111 1111 1111 1111']);
    assert.equal(score.errors.filter((e) => e.kind === 'fp').length, 3);
  });
});
