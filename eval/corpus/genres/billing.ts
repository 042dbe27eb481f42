/** Billing and financial messages: statements, payment confirmations, remittance. */
import type { Genre } from './types.js';

export const billing: Genre = {
  name: 'billing',
  join: (rng) => rng.pick([' ', '\n', '\n']),
  open: ['Subject: Statement {$invoice}', 'Hello,', 'Billing notice from {$org}', 'PAYMENT CONFIRMATION', 'Dear {PERSON:patient},'],
  close: ['Questions? Reply to this message or call {PHONE_NUMBER:us}.', 'Thank you for your payment.', '— {$org} Patient Financial Services'],
  filler: [
    'Your balance of {$amount} is due {$date}.',
    'Invoice {$invoice} covers services on {$date}.',
    'Claim {$claim} was {denied (CO-97)|paid at 80%|adjusted}.',
    'A late fee of {$amount} has been waived.',
    'Payments received after {$time} post the next business day.',
    'Insurance paid {$amount}; patient responsibility {$amount}.',
    'Your payment plan is {$qty} installments of {$amount}.',
    'Remaining deductible: {$amount:big}.',
  ],
  mentions: {
    CREDIT_CARD: ['We charged {$amount} to card {CREDIT_CARD} on {$date}.', 'Autopay card: {CREDIT_CARD}', 'Payment of {$amount} via {Visa|card} {CREDIT_CARD} was approved (auth {$qty}{$qty}{$qty}{$qty}).'],
    IBAN_CODE: ['Remit to: {$org}, IBAN {IBAN_CODE}', 'Your refund of {$amount} will go to IBAN {IBAN_CODE}.'],
    ABA_ROUTING_NUMBER: ['Autopay is set up from routing {ABA_ROUTING_NUMBER}, account {US_BANK_NUMBER}.', 'e-Check: ABA routing {ABA_ROUTING_NUMBER} acct {US_BANK_NUMBER}'],
    US_BANK_NUMBER: ['The ACH from account {US_BANK_NUMBER} was returned for insufficient funds.'],
    US_SSN: ['Guarantor: {PERSON:patient}, SSN {US_SSN}', 'Responsible party SSN: {US_SSN}'],
    LOCATION: ['Statement mailed to {LOCATION}.', 'Billing address: {LOCATION}'],
    EMAIL_ADDRESS: ['E-statements go to {EMAIL_ADDRESS}.'],
    US_MBI: ['Secondary claim sent to Medicare (MBI {US_MBI}).'],
    US_NPI: ['Billing provider NPI {US_NPI}, taxonomy 207Q00000X.'],
    URL: ['Pay online at {URL}.'],
  },
};
