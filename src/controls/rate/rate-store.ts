/**
 * Where rate-limit buckets live. Every implementation applies `gcraTake` atomically per key.
 *  - memory: this process only. With several replicas each would allow the full rate (the limit times
 *    the replica count), so use it for a single process or tests, never behind a load balancer.
 *  - sqlite: processes on one machine sharing the file.
 *  - redis, postgres: shared by every replica.
 */
export type RateStoreKind = 'memory' | 'sqlite' | 'redis' | 'postgres';

/** Who sees the same buckets: this process, the processes of one machine, or every replica. */
export type RateStoreScope = 'process' | 'machine' | 'cluster';

export interface RateStore {
  readonly kind: RateStoreKind;
  readonly scope: RateStoreScope;
  /** Admits and records when `max(tat, now) + inc − tol ≤ now`; otherwise changes nothing. */
  take(key: string, nowUs: number, incUs: number, tolUs: number): Promise<{ allowed: boolean; tatUs: number }>;
  /** Gives back `incUs` that an admitted request took, when another rule then refused it. */
  refund(key: string, incUs: number, nowUs: number): Promise<void>;
  close(): Promise<void>;
}
