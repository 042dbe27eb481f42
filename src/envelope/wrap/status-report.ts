/**
 * What `esq status` prints, as the running sidecar reports it. Parts other modules own (storage
 * encryption, egress, CVE scanning) come from injected providers and stay `null` until wired.
 */
import type { IngressCounters } from '../ingress/stats.js';
import type { IngressPosture } from '../ingress/server.js';
import type { IngressDenial } from '../ingress/types.js';

export interface CveScanSummary {
  at: string;
  status: 'clean' | 'findings' | 'error';
  critical: number;
  high?: number;
  summary?: string;
}

/** Filled by the lead's wiring; each may be sync or async and may answer `undefined` (unknown). */
export interface StatusProviders {
  /** Id of the key encrypting the service's storage at rest (encryption-at-rest module). */
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
  egress: { isolation: 'netns' | 'advisory'; proxy: string | null; allowListSize: number | null };
  storage: { encryptionKeyId: string | null };
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
