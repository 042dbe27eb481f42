import type { Action, Decision } from '../../engine/types.js';

/** Where in the ingress a request or connection was refused. */
export type DenialStage = 'tls' | 'identity' | 'revoked' | 'caller' | 'token' | 'policy' | 'quarantine';
export const DENIAL_STAGES: readonly DenialStage[] = ['tls', 'identity', 'revoked', 'caller', 'token', 'policy', 'quarantine'];

/** One refusal, as handed to the audit sink. Paths are recorded without their query string. */
export interface IngressDenial {
  time: string;
  stage: DenialStage;
  reason: string;
  spiffeId?: string;
  serial?: string;
  method?: string;
  path?: string;
  remote?: string;
  ruleId?: string;
  incidentId?: string;
}

/** The policy engine, as the ingress sees it: `governor.decide.bind(governor)` fits. */
export type DecideFn = (action: Action) => Decision | Promise<Decision>;
export type DenialSink = (denial: IngressDenial) => void;
