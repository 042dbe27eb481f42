/** Key–value forms: intake forms, claim forms, employee records. */
import type { Rng } from '../rng.js';
import type { Genre } from './types.js';

export const form: Genre = {
  name: 'form',
  join: () => '\n',
  open: ['NEW PATIENT INTAKE FORM', 'CMS-1500 — PATIENT AND INSURED INFORMATION', 'EMPLOYEE INFORMATION SHEET', 'REFERRAL FORM ({$org})'],
  close: ['Signature on file: Y', 'Form completed {$date}.', '*** END OF FORM ***'],
  filler: [
    'Sex: {F|M|X}',
    'Preferred language: {English|Spanish|Vietnamese|Polish}',
    'Marital status: {single|married|widowed}',
    'Visit date: {$date}',
    'Copay: {$amount}',
    'Employer: {$org}',
    'Reason for visit: {$symptom}',
    'Current medications: {$med}',
    'Relationship to insured: {self|spouse|child}',
  ],
  mentions: {
    PERSON: ['Name: {PERSON:patient}', 'Insured name: {PERSON:other}', 'Referring physician: {PERSON:provider}'],
    DATE_TIME: ['DOB: {DATE_TIME:dob}', 'Date of birth: {DATE_TIME:dob}'],
    US_SSN: ['SSN: {US_SSN}', 'Social Security #: {US_SSN}'],
    PHONE_NUMBER: ['Home phone: {PHONE_NUMBER:us}', 'Mobile: {PHONE_NUMBER}'],
    LOCATION: ['Address: {LOCATION}'],
    EMAIL_ADDRESS: ['Email: {EMAIL_ADDRESS}'],
    US_MBI: ['Insurance ID (MBI): {US_MBI}'],
    MEDICAL_RECORD_NUMBER: ['MRN: {MEDICAL_RECORD_NUMBER}'],
    US_NPI: ['Referring NPI: {US_NPI}'],
    US_DRIVER_LICENSE: ["Driver's license #: {US_DRIVER_LICENSE}"],
    US_PASSPORT: ['Passport number: {US_PASSPORT}'],
    VIN: ['Vehicle VIN: {VIN}'],
    ABA_ROUTING_NUMBER: ['Bank routing #: {ABA_ROUTING_NUMBER}\nAccount #: {US_BANK_NUMBER}'],
    CREDIT_CARD: ['Card number: {CREDIT_CARD}\nExp: {?DATE_TIME:expiry}'],
  },
  line(_rng: Rng, template: string, style: number): string {
    // Forms pad their labels into columns or use tabs; either way the value sits after the key.
    const layout = Math.floor(style * 3);
    if (layout === 0) return template;
    return template
      .split('\n')
      .map((l) => l.replace(/^([^:{]{2,40}):\s/, (_m, k: string) => (layout === 1 ? `${k}:\t` : `${`${k}:`.padEnd(24)}`)))
      .join('\n');
  },
};
