/**
 * The one-time `X-ZT` token: a JWT signed by the calling workload's own key, naming its SPIFFE ID
 * (`iss` = `sub`), the audience host, a unique `jti`, and `rqh` — a hash binding it to one
 * method and request target, so a token lifted from one request cannot authorise another.
 */
import { createHash } from 'node:crypto';

export const ZT_HEADER = 'x-zt';
/** Tokens never live longer than this, whoever minted them. */
export const MAX_TOKEN_TTL_MS = 60_000;
export const TOKEN_TYPE = 'esq-zt+jwt';

export interface ZeroTrustClaims {
  iss: string;
  sub: string;
  aud: string;
  jti: string;
  iat: number;
  exp: number;
  /** base64url(SHA-256("<METHOD> <path?query>")). */
  rqh: string;
}

export function requestBinding(method: string, path: string): string {
  return createHash('sha256').update(`${method.toUpperCase()} ${path}`).digest('base64url');
}
