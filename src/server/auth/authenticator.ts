/**
 * Bearer-key authentication against the store, with a short positive cache (a revoked key stops
 * working on every replica within CACHE_MS) and a per-address limiter on failed attempts.
 */
import type { Store } from '../../store/port.js';
import { hashApiKey, parseBearer, type Principal, type Role } from './api-keys.js';

const CACHE_MS = 5_000;
const FAILURES_PER_WINDOW = 20;
const WINDOW_MS = 60_000;

export type AuthResult = { ok: true; principal: Principal } | { ok: false; reason: 'missing' | 'malformed' | 'unknown' | 'throttled'; retryAfterSeconds?: number };

export class Authenticator {
  #cache = new Map<string, { principal: Principal; until: number }>();
  #failures = new Map<string, { count: number; since: number }>();

  constructor(
    private readonly store: Store,
    private readonly clock: () => number = Date.now,
  ) {}

  async authenticate(header: string | undefined, address: string): Promise<AuthResult> {
    const now = this.clock();
    const f = this.#failures.get(address);
    if (f && now - f.since < WINDOW_MS && f.count >= FAILURES_PER_WINDOW) {
      return { ok: false, reason: 'throttled', retryAfterSeconds: Math.ceil((f.since + WINDOW_MS - now) / 1000) };
    }
    if (!header) return { ok: false, reason: 'missing' };
    const key = parseBearer(header);
    if (!key) return this.#fail(address, now, 'malformed');
    const hash = hashApiKey(key);
    const hit = this.#cache.get(hash);
    if (hit && hit.until > now) return { ok: true, principal: hit.principal };
    const rec = await this.store.findApiKeyByHash(hash);
    if (!rec) {
      this.#cache.delete(hash);
      return this.#fail(address, now, 'unknown');
    }
    const principal: Principal = { keyId: rec.id, roles: rec.roles as Role[], tenant: rec.tenant, label: rec.label };
    if (this.#cache.size > 10_000) this.#cache.clear();
    this.#cache.set(hash, { principal, until: now + CACHE_MS });
    return { ok: true, principal };
  }

  #fail(address: string, now: number, reason: 'malformed' | 'unknown'): AuthResult {
    const f = this.#failures.get(address);
    if (!f || now - f.since >= WINDOW_MS) this.#failures.set(address, { count: 1, since: now });
    else f.count++;
    if (this.#failures.size > 50_000) this.#failures.clear();
    return { ok: false, reason };
  }
}
