/** The cast of one document: names that several slots (a name, its email, a DEA letter) must share. */
import type { Rng } from '../rng.js';
import { FIRST_NAMES, LAST_NAMES, ORGANIZATIONS } from '../fillers.js';

export interface Person {
  first: string;
  middle: string;
  last: string;
}

export interface DocContext {
  patient: Person;
  provider: Person;
  other: Person;
  /** Organisation name and the domain its mail and web use. */
  org: string;
  orgDomain: string;
}

export function makePerson(rng: Rng): Person {
  return { first: rng.pick(FIRST_NAMES), middle: rng.pick(FIRST_NAMES), last: rng.pick(LAST_NAMES) };
}

export function makeContext(rng: Rng): DocContext {
  const patient = makePerson(rng);
  let provider = makePerson(rng);
  if (provider.last === patient.last) provider = { ...provider, last: rng.pick(LAST_NAMES) };
  const [org, orgDomain] = rng.pick(ORGANIZATIONS);
  return { patient, provider, other: makePerson(rng), org, orgDomain };
}

export function who(ctx: DocContext, role: string | undefined): Person {
  if (role === 'provider') return ctx.provider;
  if (role === 'other') return ctx.other;
  return ctx.patient;
}
