export { startIngress, type Ingress, type IngressOptions, type IngressPosture } from './server.js';
export { IngressStats, type IngressCounters } from './stats.js';
export { DENIAL_STAGES, type DecideFn, type DenialSink, type DenialStage, type IngressDenial } from './types.js';
export { XFCC, xfccValue } from './headers.js';
