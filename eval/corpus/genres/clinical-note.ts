/** Outpatient progress notes (SOAP), terse and abbreviation-heavy. */
import type { Genre } from './types.js';

export const clinicalNote: Genre = {
  name: 'clinical-note',
  join: (rng) => rng.pick(['\n', '\n', ' ', '\n\n']),
  open: [
    'PROGRESS NOTE',
    'Clinic visit {$date}',
    'S: {$age} y/o {M|F} presents with {$symptom}.',
    'Chief complaint: {$symptom} x {$days} days.',
    'Telehealth follow-up, {$date} {$time}',
  ],
  close: [
    'Follow up in {2|4|6} weeks or sooner if worse.',
    'Electronically signed {$date} {$time}.',
    'RTC PRN.',
  ],
  filler: [
    'HPI: reports {$symptom} for {$days} days, worse with exertion.',
    'Vitals: {$vitals}.',
    'Labs: {$labs}.',
    'A/P: {$condition} — continue {$med}.',
    'Ordered {$procedure}.',
    'PMH: {$condition}; {$condition}.',
    'Allergies: {NKDA|penicillin (rash)|sulfa (hives)}.',
    'Seen in {$room}.',
    'ROS negative except as above.',
    'Started {$med}; reviewed side effects.',
    'Pain {$qty}/10.',
  ],
  mentions: {
    PERSON: ['Pt: {PERSON:patient}, {$age}{M|F}', 'Patient {PERSON:patient} seen with {her|his} daughter.'],
    DATE_TIME: ['Pt DOB {DATE_TIME:dob}', '{PERSON:patient}, DOB: {DATE_TIME:dob}, {$age} y/o'],
    MEDICAL_RECORD_NUMBER: ['{PERSON:patient} | MRN {MEDICAL_RECORD_NUMBER} | DOB {DATE_TIME:dob}', 'MRN {MEDICAL_RECORD_NUMBER} — {$condition}'],
    PHONE_NUMBER: ['Pt can be reached at {PHONE_NUMBER}.', 'Called pt at {PHONE_NUMBER:us}, left VM.'],
    US_NPI: ['Signed: {PERSON:provider}, MD, NPI {US_NPI}'],
    MEDICAL_LICENSE: ['Rx: {$med}. Prescriber DEA {MEDICAL_LICENSE}.', 'eRx sent; DEA #{MEDICAL_LICENSE} on file for controlled substances.'],
    US_MBI: ['Insurance: Medicare, MBI {US_MBI}.'],
    EMAIL_ADDRESS: ['Pt prefers results by email ({EMAIL_ADDRESS}).'],
    MAC_ADDRESS: ['Home CGM paired; transmitter MAC {MAC_ADDRESS}.'],
    UK_NHS: ['Visiting from the UK; NHS number {UK_NHS}.'],
  },
};
