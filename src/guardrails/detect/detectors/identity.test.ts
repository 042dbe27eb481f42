import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Analyzer } from '../analyzer.js';
import { identityDetectors } from './identity.js';

const analyzer = new Analyzer(identityDetectors);

describe('identity detectors', () => {
  it('cover the financial, US identity, health and crypto entities, each once', () => {
    const entities = identityDetectors.flatMap((d) => d.entities);
    assert.deepEqual([...entities].sort(), [
      'ABA_ROUTING_NUMBER',
      'CREDIT_CARD',
      'CRYPTO',
      'HEALTH_PLAN_ID',
      'IBAN_CODE',
      'MEDICAL_LICENSE',
      'MEDICAL_RECORD_NUMBER',
      'US_BANK_NUMBER',
      'US_DRIVER_LICENSE',
      'US_ITIN',
      'US_MBI',
      'US_NPI',
      'US_PASSPORT',
      'US_SSN',
    ]);
    assert.equal(new Set(identityDetectors.map((d) => d.id)).size, identityDetectors.length);
  });

  it('report nothing above the threshold for hard negatives without context', () => {
    const text = [
      'Order 100234987 shipped on 2024-01-15T10:30:00Z (ticket 7734521).',
      'Build 4.18.2 replaced v1.2.3; request id 123e4567-e89b-12d3-a456-426614174000.',
      'The epoch was 1700000000 seconds, or 1700000000000 ms; zip 94105-1234.',
      'Call 415-555-0199 or (212) 555-0143; total $1,234,567.89 for 42 items.',
      'UPS 1Z999AA10123456784; commit 8f953371d3e85eddb89b05ed6b9e680791055315; ISBN 978-3-16-148410-0.',
    ].join(' ');
    const got = analyzer.analyze(text).map((f) => `${f.entity} ${text.slice(f.start, f.end)} ${f.score}`);
    assert.deepEqual(got, []);
  });

  it('find a mixed record at or above the threshold', () => {
    const text = 'SSN 536-22-1234, card 4111 1111 1111 1111, IBAN DE89 3704 0044 0532 0130 00, MBI 1EG4-TE5-MK73, NPI 1245319599, MRN 00482913.';
    const entities = new Set(analyzer.analyze(text).map((f) => f.entity));
    for (const e of ['US_SSN', 'CREDIT_CARD', 'IBAN_CODE', 'US_MBI', 'US_NPI', 'MEDICAL_RECORD_NUMBER']) assert.ok(entities.has(e), e);
  });
});
