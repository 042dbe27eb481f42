/**
 * Response header values for a rate-limit decision, as in draft-ietf-httpapi-ratelimit-headers
 * (the RateLimit-Limit / -Remaining / -Reset fields) plus Retry-After (RFC 9110) when refused.
 * Pure: the service copies the result onto the response.
 */

export interface RateLimitFigures {
  /** Requests allowed per window (after throttling). */
  limit: number;
  remaining: number;
  /** Seconds until the quota is fully restored. */
  resetSeconds: number;
  /** Present when the request was refused. */
  retryAfterSeconds?: number;
}

const nonNegInt = (n: number) => String(Math.max(0, Math.floor(n)));

export function rateLimitHeaders(f: RateLimitFigures): Record<string, string> {
  const h: Record<string, string> = {
    'RateLimit-Limit': nonNegInt(f.limit),
    'RateLimit-Remaining': nonNegInt(f.remaining),
    'RateLimit-Reset': nonNegInt(f.resetSeconds),
  };
  if (f.retryAfterSeconds !== undefined) h['Retry-After'] = String(Math.max(1, Math.ceil(f.retryAfterSeconds)));
  return h;
}
