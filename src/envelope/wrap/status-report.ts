/**
 * What `esq status` prints, as the running sidecar reports it. Each part is read from the thing
 * that enforces it; what cannot be read (a provider not wired, or failing) is `null`, never a guess.
 */
import type { EgressBlockEvent } from '../egress/proxy.js';
import type { IngressCounters } from '../ingress/stats.js';
import type { MirrorStats } from '../mirror/mirror.js';
import type { IngressPosture } from '../ingress/server.js';
import type { IngressDenial } from '../ingress/types.js';

export interface CveScanSummary {
  at: string;
  status: 'clean' | 'findings' | 'error';
  critical: number;
  high?: number;
  summary?: string;
}

/**
 * Overrides for what the envelope reports; each may be sync or async and may answer `undefined`
 * (unknown). Storage key and egress size default to the keyring and the running proxy;
 * the CVE scan has no default (the scanner is wired by the CLI).
 */
export interface StatusProviders {
  /** Id of the key encrypting the service's storage at rest, e.g. `esq:kms:pii-high v2`. */
  storageKeyId?: () => string | undefined | Promise<string | undefined>;
  /** Number of entries the running egress proxy enforces. */
  egressAllowListSize?: () => number | undefined | Promise<number | undefined>;
  /** The latest CVE scan of the service (scanner module). */
  lastCveScan?: () => CveScanSummary | undefined | Promise<CveScanSummary | undefined>;
}

export interface EnvelopeStatus {
  service: string;
  classification: string;
  spiffeId: string;
  pid: number;
  startedAt: string;
  traffic: IngressPosture & { mtlsEnforced: boolean; certificateRotations: number };
  allowedCallers: string[];
  counters: IngressCounters;
  recentDenials: IngressDenial[];
  egress: {
    isolation: 'netns' | 'advisory';
    proxy: string | null;
    allowListSize: number | null;
    /** Refusals since start, and the latest (newest first); null when the egress keeps none. */
    blocked: number | null;
    recentBlocks: EgressBlockEvent[];
  };
  /** `keyClass` is the keyring class (keys.storageKeyId); `encryptionKeyId` its current version, verified in the keyring. */
  storage: { keyClass: string; encryptionKeyId: string | null };
  /** The service's vault API, when it has one. */
  vault: { endpoint: string; paths: string[]; sessionLive: boolean } | null;
  mirror: { sink: string; bodyLimit: number; egress: boolean; ingress: boolean; stats: MirrorStats } | null;
  cveScan: { intervalSeconds: number; last: CveScanSummary | null };
}

export async function fromProvider<T>(f: (() => T | undefined | Promise<T | undefined>) | undefined): Promise<T | null> {
  if (!f) return null;
  try {
    return (await f()) ?? null;
  } catch {
    return null; // a provider that fails reports "unknown", never a guess
  }
}
