/** National identifiers outside the US (Presidio's country-specific recognizers): AU, CA, ES, FI, IN, IT, PL, SE, SG, UK, ZA. */
import type { Detector } from '../types.js';
import { auAbnDetector, auAcnDetector, auMedicareDetector, auTfnDetector } from './au-ids.js';
import { caSinDetector } from './ca-sin.js';
import { esNieDetector, esNifDetector } from './es-nif-nie.js';
import { fiPersonalIdentityCodeDetector } from './fi-personal-identity-code.js';
import { inAadhaarDetector, inPanDetector, inPanTokenDetector } from './in-ids.js';
import { itFiscalCodeDetector } from './it-fiscal-code.js';
import { plPeselDetector } from './pl-pesel.js';
import { sePersonnummerDetector } from './se-personnummer.js';
import { sgNricDetector } from './sg-nric.js';
import { ukDrivingLicenceDetector } from './uk-driving-licence.js';
import { ukNhsDetector } from './uk-nhs.js';
import { ukNinoDetector } from './uk-nino.js';
import { ukPassportDetector } from './uk-passport.js';
import { ukPostcodeDetector } from './uk-postcode.js';
import { ukVehicleRegistrationDetector } from './uk-vehicle-registration.js';
import { zaIdNumberDetector } from './za-id-number.js';

export const internationalDetectors: Detector[] = [
  // Australia
  auAbnDetector,
  auAcnDetector,
  auTfnDetector,
  auMedicareDetector,
  // Canada
  caSinDetector,
  // Spain
  esNifDetector,
  esNieDetector,
  // Finland
  fiPersonalIdentityCodeDetector,
  // India
  inAadhaarDetector,
  inPanDetector,
  inPanTokenDetector,
  // Italy
  itFiscalCodeDetector,
  // Poland
  plPeselDetector,
  // Sweden
  sePersonnummerDetector,
  // Singapore
  sgNricDetector,
  // United Kingdom
  ukNhsDetector,
  ukNinoDetector,
  ukPassportDetector,
  ukDrivingLicenceDetector,
  ukPostcodeDetector,
  ukVehicleRegistrationDetector,
  // South Africa
  zaIdNumberDetector,
];
