/** Secret detectors: cloud keys, platform tokens, private keys, JWTs, generic high-entropy values. */
import type { Detector } from '../../types.js';

export const secretDetectors: Detector[] = [];
