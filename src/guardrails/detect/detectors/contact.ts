/** Contact, network, date, location, vehicle, device and person detectors. */
import type { Detector } from '../types.js';

export const contactDetectors: Detector[] = [];
