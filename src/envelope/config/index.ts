export { loadEnvelopeConfig, parseEnvelopeConfig, defaultEnvelopeConfig, ENVELOPE_DEFAULTS, type EnvelopeConfig, type KeyAlgorithm } from './load.js';
export { EnvelopeConfigError } from './errors.js';
export { parseAllowEntry, isAllowed, type AllowEntry } from './allow-list.js';
export { parseDuration, formatDuration } from './duration.js';
export { parseEndpoint, endpointLabel, isLoopbackHost, type Endpoint } from './endpoint.js';
export { parseMeshPeer, type MeshPeer } from './mesh.js';
