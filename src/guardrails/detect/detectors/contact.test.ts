import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Analyzer } from '../analyzer.js';
import { contactDetectors } from './contact.js';

describe('contact detector family', () => {
  it('has unique ids and covers its entities', () => {
    const ids = contactDetectors.map((d) => d.id);
    assert.equal(new Set(ids).size, ids.length);
    const entities = new Set(contactDetectors.flatMap((d) => d.entities));
    for (const e of ['EMAIL_ADDRESS', 'PHONE_NUMBER', 'IP_ADDRESS', 'MAC_ADDRESS', 'URL', 'US_ZIP_CODE', 'LOCATION', 'DATE_TIME', 'VIN', 'DEVICE_ID', 'PERSON']) assert.ok(entities.has(e), e);
    assert.ok(ids.every((id) => !id.startsWith('nlp-')), 'model-based detectors are opt-in');
  });

  it('finds a record’s identifiers together at the default threshold', () => {
    const text = 'Patient: John Smith, DOB 04/12/1961, 123 Main St, Springfield, IL 62704, (212) 555-0143, jane.doe@example.com, 10.0.12.7';
    const got = new Analyzer(contactDetectors).analyze(text).map((f) => f.entity);
    for (const e of ['PERSON', 'DATE_TIME', 'LOCATION', 'US_ZIP_CODE', 'PHONE_NUMBER', 'EMAIL_ADDRESS', 'IP_ADDRESS']) assert.ok(got.includes(e), e);
  });
});
