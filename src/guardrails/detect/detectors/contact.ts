/** Contact, network, date, location, vehicle, device and person detectors. */
import type { Detector } from '../types.js';
import { dateTime } from './date-time.js';
import { deviceId } from './device-id.js';
import { email } from './email.js';
import { ipAddress } from './ip-address.js';
import { macAddress } from './mac-address.js';
import { person } from './person.js';
import { phone } from './phone.js';
import { streetAddressDetector } from './street-address.js';
import { url } from './url.js';
import { usZipCode } from './us-zip-code.js';
import { vin } from './vin.js';

export const contactDetectors: Detector[] = [email, phone, ipAddress, macAddress, url, usZipCode, streetAddressDetector, dateTime, vin, deviceId, person];
