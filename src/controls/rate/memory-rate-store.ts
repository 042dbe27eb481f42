/**
 * Buckets in this process's memory. SINGLE PROCESS ONLY: replicas do not see each other's counts, so
 * N replicas would admit N times the limit. For tests, the CLI and one-process deployments.
 */
import { gcraTake } from './gcra.js';
import type { RateStore } from './rate-store.js';

export class MemoryRateStore implements RateStore {
  readonly kind = 'memory' as const;
  readonly scope = 'process' as const;
  private readonly tats = new Map<string, number>();

  async take(key: string, nowUs: number, incUs: number, tolUs: number): Promise<{ allowed: boolean; tatUs: number }> {
    const r = gcraTake(this.tats.get(key), nowUs, incUs, tolUs);
    if (r.allowed) this.tats.set(key, r.tatUs);
    // Keys whose bucket has refilled hold nothing worth keeping.
    if (this.tats.size > 10_000) for (const [k, t] of this.tats) if (t <= nowUs) this.tats.delete(k);
    return r;
  }

  async refund(key: string, incUs: number, nowUs: number): Promise<void> {
    const tat = this.tats.get(key);
    if (tat !== undefined) this.tats.set(key, Math.max(tat - incUs, nowUs));
  }

  async close(): Promise<void> {
    this.tats.clear();
  }
}
