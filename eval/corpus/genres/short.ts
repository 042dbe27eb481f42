/** One-line messages (SMS, search boxes, form fields): the value at the very start or end of the text. */
import type { Genre } from './types.js';

export const short: Genre = {
  name: 'short',
  join: () => ' ',
  open: [],
  close: [],
  filler: [],
  mentions: {
    CREDIT_CARD: ['{CREDIT_CARD}', '{CREDIT_CARD} exp {?DATE_TIME:expiry}'],
    IBAN_CODE: ['{IBAN_CODE}'],
    EMAIL_ADDRESS: ['{EMAIL_ADDRESS}', 'email {EMAIL_ADDRESS}'],
    PHONE_NUMBER: ['{PHONE_NUMBER}', 'call {PHONE_NUMBER}'],
    URL: ['{URL}'],
    IP_ADDRESS: ['{IP_ADDRESS}'],
    MAC_ADDRESS: ['{MAC_ADDRESS}'],
    CRYPTO: ['{CRYPTO}'],
    VIN: ['{VIN}', 'VIN {VIN}'],
    US_MBI: ['{US_MBI}', 'mbi {US_MBI}'],
    US_SSN: ['ssn {US_SSN}', 'SSN#{US_SSN}', '{US_SSN:dashed} ssn'],
    US_NPI: ['NPI{US_NPI}', 'npi: {US_NPI}'],
    MEDICAL_LICENSE: ['DEA {MEDICAL_LICENSE}'],
    MEDICAL_RECORD_NUMBER: ['MRN {MEDICAL_RECORD_NUMBER}', 'mrn#{MEDICAL_RECORD_NUMBER}'],
    ABA_ROUTING_NUMBER: ['routing {ABA_ROUTING_NUMBER}'],
    UK_NHS: ['NHS {UK_NHS}'],
    DATE_TIME: ['dob {DATE_TIME:dob}', 'DOB:{DATE_TIME:dob}'],
    US_ITIN: ['itin {US_ITIN}'],
  },
};
