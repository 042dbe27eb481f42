import { billing } from './billing.js';
import { chat } from './chat.js';
import { clinicalNote } from './clinical-note.js';
import { dischargeSummary } from './discharge-summary.js';
import { form } from './form.js';
import { hrEmail } from './hr-email.js';
import { short } from './short.js';
import { supportTicket } from './support-ticket.js';
import type { Genre } from './types.js';

export { GENERIC_MENTIONS } from './generic.js';
export type { Genre } from './types.js';

/** Genres with their share of the positive texts. */
export const GENRES: ReadonlyArray<readonly [Genre, number]> = [
  [clinicalNote, 3], [dischargeSummary, 2], [billing, 3], [supportTicket, 3], [hrEmail, 2], [chat, 3], [form, 2], [short, 1],
];
