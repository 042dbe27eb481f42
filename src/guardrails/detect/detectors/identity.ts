/** Financial, US identity, health and crypto-wallet detectors. */
import type { Detector } from '../types.js';
import { abaRoutingDetector } from './aba-routing.js';
import { creditCardDetector } from './credit-card.js';
import { cryptoDetector } from './crypto.js';
import { healthPlanIdDetector } from './health-plan-id.js';
import { ibanDetector } from './iban.js';
import { medicalLicenseDetector } from './medical-license.js';
import { medicalRecordNumberDetector } from './medical-record-number.js';
import { usBankNumberDetector } from './us-bank-number.js';
import { usDriverLicenseDetector } from './us-driver-license.js';
import { usItinDetector } from './us-itin.js';
import { usMbiDetector } from './us-mbi.js';
import { usNpiDetector } from './us-npi.js';
import { usPassportDetector } from './us-passport.js';
import { usSsnDetector } from './us-ssn.js';

export const identityDetectors: Detector[] = [
  // Financial
  creditCardDetector,
  ibanDetector,
  abaRoutingDetector,
  usBankNumberDetector,
  // US identity
  usSsnDetector,
  usItinDetector,
  usPassportDetector,
  usDriverLicenseDetector,
  // Health (HIPAA Safe Harbor)
  medicalRecordNumberDetector,
  usNpiDetector,
  medicalLicenseDetector,
  usMbiDetector,
  healthPlanIdDetector,
  // Crypto wallets
  cryptoDetector,
];
