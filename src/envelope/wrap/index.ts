export { startEnvelope, type EnvelopeOptions, type RunningEnvelope, type StartEgress, type WrapDeps } from './envelope.js';
export { startSidecarEgress, type EgressContext, type SidecarEgress } from './egress.js';
export { renderK8sManifests, SIDECAR_UID, type K8sOptions } from './k8s.js';
export { netnsSupport, type NetnsSupport } from './netns.js';
export { readRunFile, runFilePath, type RunFile } from './run-file.js';
export { startServiceVault, VAULT_ENV, type ServiceVault } from './service-vault.js';
export type { CveScanSummary, EnvelopeStatus, StatusProviders } from './status-report.js';
