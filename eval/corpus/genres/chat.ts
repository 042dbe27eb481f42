/** Live-chat transcripts: speaker-prefixed lines, casual spelling, context sometimes a line above. */
import type { Rng } from '../rng.js';
import type { Genre } from './types.js';

const SPEAKER = /^(Agent|Customer|Bot|Nurse|\{PERSON)/;

export const chat: Genre = {
  name: 'chat',
  join: () => '\n',
  open: ['Chat started {$date} {$time}', 'Bot: Hi! How can I help today?', 'Agent: Thanks for contacting {$org}, this is {PERSON:other-first}.'],
  close: ['Agent: Is there anything else I can help with?\nCustomer: no thats all thx', 'Chat ended by customer.', 'Agent: Have a great day!'],
  filler: [
    'Customer: hi i need help with my bill',
    'Agent: Sure, I can help with that.',
    'Customer: one sec',
    'Customer: ok thanks',
    'Agent: Can you confirm a few details for verification?',
    'Agent: Great, that is all set.',
    'Customer: why was i charged {$amount}??',
    'Agent: I see a pending charge from {$date}.',
    'Customer: still waiting...',
  ],
  mentions: {
    CREDIT_CARD: ['Customer: my card is {CREDIT_CARD}', 'Customer: {CREDIT_CARD}\nCustomer: thats the card i used', 'Agent: Which card was charged?\nCustomer: {CREDIT_CARD} exp {?DATE_TIME:expiry}'],
    US_SSN: ['Agent: For verification, what is your SSN?\nCustomer: {US_SSN}', 'Customer: my ssn is {US_SSN}', 'Customer: social is {US_SSN:dashed}'],
    PHONE_NUMBER: ["Agent: What's the best number to reach you?\nCustomer: {PHONE_NUMBER}", 'Customer: call me {PHONE_NUMBER}', 'Customer: my number changed to {PHONE_NUMBER}'],
    EMAIL_ADDRESS: ['Customer: {EMAIL_ADDRESS}', 'Customer: send it to {EMAIL_ADDRESS} pls', 'Agent: I will email {EMAIL_ADDRESS} with the receipt.'],
    DATE_TIME: ['Agent: Can you confirm your date of birth?\nCustomer: {DATE_TIME:dob}', 'Customer: dob {DATE_TIME:dob}', "Customer: i was born {DATE_TIME:dob} if that helps"],
    PERSON: ['Customer: name is {PERSON:patient}', '{PERSON:patient-first}: hi, this is {PERSON:patient}'],
    IBAN_CODE: ['Customer: can you refund to my IBAN {IBAN_CODE}', 'Customer: iban {IBAN_CODE}'],
    URL: ['Agent: You can reset it here: {URL}', 'Customer: the link {URL} doesnt work'],
    MEDICAL_RECORD_NUMBER: ['Nurse: Can you read me the MRN on your wristband?\nCustomer: MRN {MEDICAL_RECORD_NUMBER}'],
    US_MBI: ['Customer: my medicare number is {US_MBI}', 'Agent: What is the Medicare ID on the card?\nCustomer: {US_MBI}'],
    LOCATION: ['Customer: ship to {LOCATION}'],
    IP_ADDRESS: ['Customer: my ip is {IP_ADDRESS} if that helps', 'Agent: I see a login from {IP_ADDRESS}, was that you?'],
    VIN: ['Customer: vin is {VIN}'],
  },
  line(_rng: Rng, template: string, style: number): string {
    // A speaker on every line; timestamps on the lines of some transcripts.
    const stamp = style < 0.4;
    return template
      .split('\n')
      .map((l) => `${stamp ? '[{$time}] ' : ''}${SPEAKER.test(l) || l.startsWith('Chat ') ? l : `Customer: ${l}`}`)
      .join('\n');
  },
};
