/** Customer-support tickets: header fields, agent notes, pasted customer text. */
import type { Genre } from './types.js';

export const supportTicket: Genre = {
  name: 'support-ticket',
  join: (rng) => rng.pick(['\n', '\n', ' | ']),
  open: ['Ticket {$ticket} — {Billing|Account access|Refund request|Portal login issue|Device offline}', 'Priority: {Low|Normal|High|Urgent}', 'New ticket from web form ({$date} {$time})'],
  close: ['Status: {Pending customer|Solved|Escalated}', 'Internal note: do not share account details by email.', 'CSAT survey sent.'],
  filler: [
    'Customer states the {$product} stopped working after the update.',
    'Escalated to {$dept}.',
    'Status changed from Open to Pending.',
    'Agent note: verified identity with two factors.',
    'Customer waited {$days} minutes on hold.',
    'Linked to incident {$ticket}.',
    'Refund of {$amount} approved by supervisor.',
    'Reproduced on build 4.{$qty}.{$qty}; workaround shared.',
  ],
  mentions: {
    EMAIL_ADDRESS: ['Customer email: {EMAIL_ADDRESS}', 'Requester: {PERSON:patient} <{EMAIL_ADDRESS}>'],
    PHONE_NUMBER: ['Callback number {PHONE_NUMBER}', 'Customer asked for a call back on {PHONE_NUMBER} ({$weekday} afternoon).'],
    CREDIT_CARD: ['Customer says card {CREDIT_CARD} was charged twice.', 'Customer pasted full card number {CREDIT_CARD} in the description; masked in CRM.'],
    IP_ADDRESS: ['Last login from {IP_ADDRESS} ({$weekday}).', 'Suspicious sign-in: {IP_ADDRESS}, {$time}.'],
    MAC_ADDRESS: ['Device MAC {MAC_ADDRESS} shows offline since {$date}.'],
    US_SSN: ['Customer typed their SSN ({US_SSN}) into the form; redact before closing.'],
    VIN: ['Roadside assistance requested for VIN {VIN}.', 'Telematics unit for vehicle {VIN} not reporting.'],
    URL: ['Customer cannot open {URL} (404).', 'Sent reset link {URL}'],
    CRYPTO: ['Customer asks for payout to wallet {CRYPTO}; declined per policy.'],
    LOCATION: ['Replacement ships to {LOCATION}.'],
  },
};
