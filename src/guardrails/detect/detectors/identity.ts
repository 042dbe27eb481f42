/** Financial, US identity, health and crypto-wallet detectors. */
import type { Detector } from '../types.js';

export const identityDetectors: Detector[] = [];
