/**
 * Verifies an `X-ZT` token: signature (by the key the caller proved it holds over mTLS), audience,
 * expiry and a lifetime of at most 60 s, subject = the caller's SPIFFE ID, binding to this very
 * method and path, and single use. Each failure has its own reason, for the audit trail.
 */
import type { KeyObject } from 'node:crypto';
import { decodeProtectedHeader, errors as joseErrors, jwtVerify } from 'jose';
import { InvalidInputError } from '../../errors.js';
import { MAX_TOKEN_TTL_MS, requestBinding, TOKEN_TYPE, type ZeroTrustClaims } from './claims.js';
import type { ReplayCache } from './replay-cache.js';
import { jwsAlgorithmFor } from './sign.js';

export type TokenRejection = 'missing' | 'malformed' | 'signature' | 'audience' | 'expired' | 'lifetime' | 'subject' | 'binding' | 'replayed';

export class ZeroTrustTokenError extends InvalidInputError {
  readonly reason: TokenRejection;
  constructor(reason: TokenRejection, message: string) {
    super(`zero-trust token refused (${reason}): ${message}`);
    this.reason = reason;
  }
}

export interface VerifyTokenOptions {
  /** The caller's public key: on ingress, the one in the client certificate it just proved. */
  key: KeyObject;
  /** Audiences this receiver answers to. */
  audiences: readonly string[];
  method: string;
  path: string;
  /** The caller's SPIFFE ID as established by mTLS. */
  expectedSubject?: string;
  replay: ReplayCache;
  clock?: () => Date;
  /** Allowed clock skew between minting and checking, seconds (default 5). */
  clockToleranceS?: number;
}

export async function verifyZeroTrustToken(token: string | undefined, o: VerifyTokenOptions): Promise<ZeroTrustClaims> {
  if (!token) throw new ZeroTrustTokenError('missing', 'no X-ZT header');
  const alg = jwsAlgorithmFor(o.key);
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    throw new ZeroTrustTokenError('malformed', 'not a JWS');
  }
  if (header.typ !== TOKEN_TYPE) throw new ZeroTrustTokenError('malformed', `typ must be ${TOKEN_TYPE}`);
  const now = o.clock?.() ?? new Date();
  const tolerance = o.clockToleranceS ?? 5;
  let claims: ZeroTrustClaims;
  try {
    const r = await jwtVerify(token, o.key, {
      algorithms: [alg],
      typ: TOKEN_TYPE,
      audience: [...o.audiences],
      currentDate: now,
      clockTolerance: tolerance,
      maxTokenAge: MAX_TOKEN_TTL_MS / 1000,
      requiredClaims: ['iss', 'sub', 'aud', 'jti', 'iat', 'exp', 'rqh'],
    });
    claims = r.payload as unknown as ZeroTrustClaims;
  } catch (e) {
    throw mapJoseError(e);
  }
  if (typeof claims.aud !== 'string') throw new ZeroTrustTokenError('audience', 'a one-time token names exactly one audience');
  if (claims.exp - claims.iat > MAX_TOKEN_TTL_MS / 1000) throw new ZeroTrustTokenError('lifetime', `lives ${claims.exp - claims.iat}s; at most 60s`);
  if (claims.iat > now.getTime() / 1000 + tolerance) throw new ZeroTrustTokenError('malformed', 'issued in the future');
  if (o.expectedSubject !== undefined && (claims.sub !== o.expectedSubject || claims.iss !== o.expectedSubject)) {
    throw new ZeroTrustTokenError('subject', 'names a different workload than the one that presented it');
  }
  if (claims.rqh !== requestBinding(o.method, o.path)) throw new ZeroTrustTokenError('binding', 'was minted for a different method or path');
  // Claimed last: a token refused for another reason is not burnt, and a replay is caught atomically.
  const ttl = (claims.exp + tolerance) * 1000 - now.getTime();
  if (!(await o.replay.claim(claims.jti, ttl))) throw new ZeroTrustTokenError('replayed', 'this token was already used');
  return claims;
}

function mapJoseError(e: unknown): ZeroTrustTokenError {
  if (e instanceof joseErrors.JWTExpired) return new ZeroTrustTokenError('expired', 'past its expiry');
  if (e instanceof joseErrors.JWSSignatureVerificationFailed) return new ZeroTrustTokenError('signature', 'signature does not verify with the caller’s key');
  if (e instanceof joseErrors.JWTClaimValidationFailed) {
    if (e.claim === 'aud') return new ZeroTrustTokenError('audience', 'not addressed to this service');
    if (e.claim === 'iat') return new ZeroTrustTokenError('expired', 'older than 60s');
    return new ZeroTrustTokenError('malformed', `claim ${e.claim}: ${e.reason}`);
  }
  if (e instanceof joseErrors.JOSEAlgNotAllowed) return new ZeroTrustTokenError('signature', 'signed with an algorithm that does not match the caller’s key');
  return new ZeroTrustTokenError('malformed', (e as Error).message);
}
