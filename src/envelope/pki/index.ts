export { LocalCa, DEFAULT_LEAF_TTL_MS, MAX_LEAF_TTL_MS, type CaOptions, type IssueRequest, type IssuedRecord, type RevocationReason, type WorkloadCredentials } from './ca.js';
export { CertRotator, type RotatorOptions } from './rotator.js';
export { CrlFile, readCrl, type RevocationChecker } from './revocation.js';
export { inspectCertificate, splitPem, type CertificateFacts } from './inspect.js';
export { parseSpiffeId, spiffeIdProblem, workloadSpiffeId, type SpiffeId } from './spiffe-id.js';
export { serverTlsOptions, clientTlsOptions, checkSpiffeServer } from './tls-options.js';
