/**
 * Throttling decision for a request: the tenant's budget utilisation picks a rate factor on the
 * throttle curve, and the tenant's rate-limit buckets (shared across replicas) enforce the shrunk rate.
 */
import type { RateDecision, RateLimiter, RateSubject } from '../rate/limiter.js';
import type { CostController } from './controller.js';

export interface Admission {
  allowed: boolean;
  retryAfterSeconds?: number;
  /** 1 = unthrottled; the floor at 100 % utilisation. */
  factor: number;
  utilisation: number;
  headers: Record<string, string>;
  rate: RateDecision;
}

export async function admit(cost: CostController, limiter: RateLimiter, subject: RateSubject & { tenant: string }): Promise<Admission> {
  const u = await cost.utilisation(subject.tenant, subject.principal, subject.apiKey);
  const rate = await limiter.consume(subject, { factor: u.throttleFactor });
  return {
    allowed: rate.allowed,
    ...(rate.retryAfterSeconds !== undefined ? { retryAfterSeconds: rate.retryAfterSeconds } : {}),
    factor: u.throttleFactor,
    utilisation: u.utilisation,
    headers: rate.headers,
    rate,
  };
}
