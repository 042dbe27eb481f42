/** Inpatient discharge summaries: headed sections, long lines. */
import type { Genre } from './types.js';

export const dischargeSummary: Genre = {
  name: 'discharge-summary',
  join: (rng) => rng.pick(['\n', '\n\n']),
  open: ['DISCHARGE SUMMARY', 'Admission Date: {$date}    Discharge Date: {$date}', 'HOSPITAL DISCHARGE SUMMARY — {$org}'],
  close: ['Dictated but not read. Transcribed {$date} {$time}.', 'Total time spent on discharge: 35 minutes.', 'Discharge instructions reviewed with patient and family.'],
  filler: [
    'HOSPITAL COURSE: admitted with {$condition}; treated with {$med}, improved over {$days} days.',
    'DISCHARGE MEDICATIONS: {$med}; {$med}; {$med}.',
    'CONDITION AT DISCHARGE: stable. {$vitals}.',
    'DISPOSITION: home with {home health|family support|outpatient PT}.',
    'PENDING RESULTS: {$procedure}.',
    'Discharged from {$room} on {$date} at {$time}.',
    'DIAGNOSES: 1. {$condition}. 2. {$condition}.',
    'PROCEDURES: {$procedure} on hospital day {$qty}.',
    'Labs on discharge: {$labs}.',
  ],
  mentions: {
    PERSON: ['PATIENT NAME: {PERSON:patient}', 'Attending Physician: {PERSON:provider}, MD'],
    MEDICAL_RECORD_NUMBER: ['Patient Name: {PERSON:patient}    MRN: {MEDICAL_RECORD_NUMBER}', 'Account/MRN: {MEDICAL_RECORD_NUMBER}'],
    US_NPI: ['Attending Physician: {PERSON:provider}, MD (NPI: {US_NPI})'],
    PHONE_NUMBER: ['PCP: Dr. {PERSON:other}, phone {PHONE_NUMBER:us}, fax {PHONE_NUMBER:us}', 'Questions? Call the discharge nurse line at {PHONE_NUMBER:us}.'],
    LOCATION: ['Discharge address: {LOCATION}'],
    DATE_TIME: ['Date of Birth: {DATE_TIME:dob}', 'DOB {DATE_TIME:dob}  Sex: {F|M}'],
    US_MBI: ['Medicare MBI {US_MBI} verified at admission.'],
    MEDICAL_LICENSE: ['Controlled-substance Rx signed by {PERSON:provider}, DEA# {MEDICAL_LICENSE}.'],
    US_SSN: ['Guarantor SSN (registration): {US_SSN}'],
  },
};
