/** Mints `X-ZT` tokens with the workload's private key (EdDSA for Ed25519 keys, ES256 for P-256). */
import { randomUUID, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { InvalidInputError } from '../../errors.js';
import { MAX_TOKEN_TTL_MS, requestBinding, TOKEN_TYPE } from './claims.js';

export function jwsAlgorithmFor(key: KeyObject): 'EdDSA' | 'ES256' {
  if (key.asymmetricKeyType === 'ed25519') return 'EdDSA';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  throw new InvalidInputError(`zero-trust tokens are signed with Ed25519 or P-256 keys, not ${key.asymmetricKeyType}`);
}

export interface TokenSignerOptions {
  /** The caller's SPIFFE ID. A function, so a rotating identity is always current. */
  spiffeId: string | (() => string);
  /** The caller's private key (follows certificate rotation when given as a function). */
  key: KeyObject | (() => KeyObject);
  ttlMs?: number;
  clock?: () => Date;
}

export interface MintRequest {
  /** The host the request goes to, without port. */
  audience: string;
  method: string;
  /** The request target: path and query. */
  path: string;
}

export class TokenSigner {
  readonly #o: TokenSignerOptions;
  readonly #ttlS: number;

  constructor(options: TokenSignerOptions) {
    const ttl = options.ttlMs ?? 30_000;
    if (!(ttl >= 1000 && ttl <= MAX_TOKEN_TTL_MS)) throw new InvalidInputError('one-time tokens live between 1s and 60s');
    this.#o = options;
    this.#ttlS = Math.floor(ttl / 1000);
  }

  async mint(req: MintRequest): Promise<string> {
    const key = typeof this.#o.key === 'function' ? this.#o.key() : this.#o.key;
    const id = typeof this.#o.spiffeId === 'function' ? this.#o.spiffeId() : this.#o.spiffeId;
    const iat = Math.floor((this.#o.clock?.() ?? new Date()).getTime() / 1000);
    return new SignJWT({ rqh: requestBinding(req.method, req.path) })
      .setProtectedHeader({ alg: jwsAlgorithmFor(key), typ: TOKEN_TYPE })
      .setIssuer(id)
      .setSubject(id)
      .setAudience(req.audience)
      .setJti(randomUUID())
      .setIssuedAt(iat)
      .setExpirationTime(iat + this.#ttlS)
      .sign(key);
  }
}
