/** HR and payroll e-mail: headers, greeting, body, signature. */
import type { Genre } from './types.js';

export const hrEmail: Genre = {
  name: 'hr-email',
  join: (rng) => rng.pick(['\n', '\n\n']),
  open: [
    'From: {PERSON:other} <{EMAIL_ADDRESS:other-work}>\nTo: {PERSON:patient} <{EMAIL_ADDRESS:patient}>\nSubject: {Onboarding paperwork|Direct deposit update|Benefits enrollment|Background check}',
    'Hi {PERSON:patient-first},',
    'Dear {PERSON:patient},',
    'Subject: Re: payroll question',
  ],
  close: [
    'Thanks,\n{PERSON:other}\n{$dept}, {$org}\n{PHONE_NUMBER:us}',
    'Best regards,\nPeople Operations',
    'Kind regards,\n{PERSON:other-first}',
  ],
  filler: [
    'Welcome to {$org}!',
    'Please complete the I-9 by {$weekday}.',
    'Your start date is {$date}.',
    'Open enrollment closes {$date}.',
    'Payroll runs on the 15th and the last business day of each month.',
    'Your PTO balance is {$days} days.',
    'The 401(k) match is {$pct} up to 6% of salary.',
    'Let me know if anything looks off.',
  ],
  mentions: {
    US_SSN: ['We have your SSN as {US_SSN} — please confirm.', 'The W-2 shows SSN {US_SSN}; is that correct?'],
    ABA_ROUTING_NUMBER: ['Direct deposit: routing {ABA_ROUTING_NUMBER}, account {US_BANK_NUMBER}.'],
    LOCATION: ['Your home address on file is {LOCATION}.'],
    DATE_TIME: ["For the background check we also need your date of birth ({DATE_TIME:dob}) and driver's license number ({US_DRIVER_LICENSE})."],
    US_DRIVER_LICENSE: ["Please send a copy of your driver's license ({US_DRIVER_LICENSE}) for the fleet insurance."],
    PHONE_NUMBER: ['Emergency contact: {PERSON:other}, {PHONE_NUMBER}'],
    US_PASSPORT: ['Passport {US_PASSPORT} was used for I-9 List A.'],
    US_ITIN: ['Payroll needs your SSN; the ITIN on file ({US_ITIN}) can only be used for the 1099.'],
    IBAN_CODE: ['For your relocation reimbursement we will pay to IBAN {IBAN_CODE}.'],
    VIN: ['Parking permit request: vehicle VIN {VIN}.'],
    EMAIL_ADDRESS: ['Please use your personal email ({EMAIL_ADDRESS:patient-personal}) for the offer letter.'],
  },
};
