/** Value generators by entity type: what a `{ENTITY:tag}` slot writes. */
import type { Rng } from '../rng.js';
import type { Generated } from '../template.js';
import { dea, mrn, npi } from './clinical.js';
import type { DocContext } from './context.js';
import { driverLicense, itin, mbi, nhsNumber, passport, ssn } from './government.js';
import { email, ipAddress, macAddress, url } from './network.js';
import { abaRouting, bankAccount, creditCard, cryptoAddress, iban } from './payment.js';
import { dateTime, location, personName, zipCode } from './people.js';
import { phone } from './phone.js';
import { vin } from './vehicle.js';

export type ValueGenerator = (rng: Rng, ctx: DocContext, tag: string | undefined) => Generated;

/** Entity names follow Presidio where it has one (MEDICAL_LICENSE holds DEA numbers, as there). */
export const VALUE_GENERATORS: Record<string, ValueGenerator> = {
  CREDIT_CARD: creditCard,
  IBAN_CODE: iban,
  ABA_ROUTING_NUMBER: abaRouting,
  US_BANK_NUMBER: bankAccount,
  CRYPTO: cryptoAddress,
  US_SSN: ssn,
  US_ITIN: itin,
  US_PASSPORT: passport,
  US_DRIVER_LICENSE: driverLicense,
  US_MBI: mbi,
  UK_NHS: nhsNumber,
  US_NPI: npi,
  MEDICAL_LICENSE: dea,
  MEDICAL_RECORD_NUMBER: mrn,
  VIN: vin,
  EMAIL_ADDRESS: email,
  PHONE_NUMBER: phone,
  IP_ADDRESS: ipAddress,
  MAC_ADDRESS: macAddress,
  URL: url,
  DATE_TIME: dateTime,
  PERSON: personName,
  LOCATION: location,
  US_ZIP_CODE: (rng) => zipCode(rng),
};

/** Entities whose values carry a checksum or a strict layout: the hard negatives target these. */
export const CHECKSUM_ENTITIES = [
  'CREDIT_CARD', 'IBAN_CODE', 'ABA_ROUTING_NUMBER', 'US_SSN', 'US_ITIN', 'US_NPI', 'MEDICAL_LICENSE', 'VIN',
  'US_MBI', 'UK_NHS', 'CRYPTO', 'PHONE_NUMBER', 'IP_ADDRESS', 'MAC_ADDRESS',
] as const;
