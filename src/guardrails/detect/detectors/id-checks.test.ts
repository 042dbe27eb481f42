import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allSame, daysInMonth, isCalendarDate, lettersUpperCase, twoDigits, verhoeffValid, weightedSum } from './id-checks.js';

describe('national ID check helpers', () => {
  it('verifies Verhoeff check digits', () => {
    assert.equal(verhoeffValid('2363'), true); // 236 → check digit 3
    assert.equal(verhoeffValid('2364'), false);
    assert.equal(verhoeffValid('312345678909'), true);
    assert.equal(verhoeffValid('123456789012'), false);
    assert.equal(verhoeffValid(''), false);
    assert.equal(verhoeffValid('12a4'), false);
  });

  it('weighs digits and reads two-digit numbers', () => {
    assert.equal(weightedSum('123', [1, 2, 3]), 14);
    assert.equal(twoDigits('x07y', 1), 7);
  });

  it('knows the calendar, leap years included', () => {
    assert.equal(isCalendarDate(2000, 2, 29), true);
    assert.equal(isCalendarDate(1900, 2, 29), false);
    assert.equal(isCalendarDate(2024, 4, 31), false);
    assert.equal(isCalendarDate(2024, 13, 1), false);
    assert.equal(isCalendarDate(2024, 12, 0), false);
    assert.equal(daysInMonth(2023, 2), 28);
  });

  it('spots placeholders and lower case', () => {
    assert.equal(allSame('0000000000'), true);
    assert.equal(allSame('0000000001'), false);
    assert.equal(lettersUpperCase('AB51 ABC'), true);
    assert.equal(lettersUpperCase('ab51 abc'), false);
  });
});
