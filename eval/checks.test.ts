import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  abaValid, btcAddressValid, cardValid, deaValid, ibanValid, isbnValid, itinValid, luhnValid, mbiValid, nhsValid, npiValid, ssnValid, vinValid,
} from './checks.js';

// Published reference values (card-network test numbers, ECBS IBAN examples, the CMS MBI
// example, the NHS Digital example, the classic VIN example) and single-character corruptions.
describe('harness validators', () => {
  it('Luhn and cards', () => {
    assert.ok(luhnValid('4111111111111111'));
    assert.ok(!luhnValid('4111111111111112'));
    assert.ok(cardValid('3782 822463 10005'));
    assert.ok(cardValid('5555-5555-5555-4444'));
    assert.ok(!cardValid('5555-5555 5555-4444'), 'mixed separators');
    assert.ok(!cardValid('79927398713'), 'too short for a card though Luhn-valid');
  });
  it('IBAN mod 97', () => {
    assert.ok(ibanValid('GB82 WEST 1234 5698 7654 32'));
    assert.ok(ibanValid('DE89370400440532013000'));
    assert.ok(ibanValid('fr1420041010050500013m02606'));
    assert.ok(!ibanValid('GB82 WEST 1234 5698 7654 33'));
    assert.ok(!ibanValid('GB82'));
  });
  it('ABA routing numbers', () => {
    assert.ok(abaValid('011000015'));
    assert.ok(abaValid('021000021'));
    assert.ok(!abaValid('021000022'));
    assert.ok(!abaValid('500000005'), 'prefix 50 is not a Federal Reserve district');
  });
  it('SSN and ITIN structure', () => {
    assert.ok(ssnValid('123-45-6789'));
    assert.ok(!ssnValid('666-45-6789'));
    assert.ok(!ssnValid('000-45-6789'));
    assert.ok(!ssnValid('123-00-6789'));
    assert.ok(!ssnValid('123-45-0000'));
    assert.ok(!ssnValid('912-45-6789'));
    assert.ok(itinValid('912-70-1234'));
    assert.ok(!itinValid('912-93-1234'));
    assert.ok(!itinValid('812-70-1234'));
  });
  it('NPI (Luhn with the 80840 prefix)', () => {
    assert.ok(npiValid('1234567893'));
    assert.ok(!npiValid('1234567890'));
    assert.ok(!npiValid('3234567893'));
  });
  it('DEA check digit', () => {
    assert.ok(deaValid('AB1234563'));
    assert.ok(!deaValid('AB1234564'));
    assert.ok(!deaValid('A11234563'));
  });
  it('VIN check digit', () => {
    assert.ok(vinValid('1M8GDM9AXKP042788'));
    assert.ok(vinValid('11111111111111111'));
    assert.ok(!vinValid('1M8GDM9A1KP042788'));
    assert.ok(!vinValid('1M8GDM9AXKP04278O'), 'O is not a VIN character');
  });
  it('MBI layout', () => {
    assert.ok(mbiValid('1EG4-TE5-MK73'));
    assert.ok(mbiValid('1EG4TE5MK73'));
    assert.ok(!mbiValid('1SG4TE5MK73'), 'S is excluded');
    assert.ok(!mbiValid('0EG4TE5MK73'));
  });
  it('NHS number', () => {
    assert.ok(nhsValid('943 476 5919'));
    assert.ok(!nhsValid('943 476 5918'));
  });
  it('Bitcoin base58check', () => {
    assert.ok(btcAddressValid('1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2'));
    assert.ok(btcAddressValid('3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy'));
    assert.ok(!btcAddressValid('1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3'));
  });
  it('ISBN', () => {
    assert.ok(isbnValid('978-0-306-40615-7'));
    assert.ok(isbnValid('0-306-40615-2'));
    assert.ok(!isbnValid('978-0-306-40615-8'));
  });
});
