/**
 * Single use: the verifier claims each token's `jti` for as long as the token could still verify.
 * A claim that finds the `jti` taken means the token was replayed.
 */
export interface ReplayCache {
  /** Records `jti` for `ttlMs`; resolves false if it was already recorded. */
  claim(jti: string, ttlMs: number): Promise<boolean>;
  close?(): Promise<void>;
}

/** One process's memory: enough for one sidecar; replicas behind a balancer need the Redis one. */
export class MemoryReplayCache implements ReplayCache {
  readonly #seen = new Map<string, number>();
  readonly #clock: () => number;
  #claims = 0;

  constructor(clock: () => number = Date.now) {
    this.#clock = clock;
  }

  get size(): number {
    return this.#seen.size;
  }

  async claim(jti: string, ttlMs: number): Promise<boolean> {
    const now = this.#clock();
    if (++this.#claims % 1024 === 0) this.#sweep(now);
    const until = this.#seen.get(jti);
    if (until !== undefined && until > now) return false;
    this.#seen.delete(jti); // re-insert at the back so the map stays roughly in expiry order
    this.#seen.set(jti, now + ttlMs);
    return true;
  }

  #sweep(now: number): void {
    for (const [k, until] of this.#seen) {
      if (until > now) break; // insertion order ≈ expiry order: the rest are younger
      this.#seen.delete(k);
    }
  }
}

/** The part of an ioredis client the cache uses (`SET key 1 PX ttl NX`). */
export interface RedisSetNx {
  set(key: string, value: string, px: 'PX', ttlMs: number, nx: 'NX'): Promise<'OK' | null>;
  quit?(): Promise<unknown>;
}

/** Shared across replicas: Redis's SET NX is the atomic "first one wins". */
export class RedisReplayCache implements ReplayCache {
  readonly #redis: RedisSetNx;
  readonly #prefix: string;

  constructor(redis: RedisSetNx, prefix = 'esq:zt:jti:') {
    this.#redis = redis;
    this.#prefix = prefix;
  }

  async claim(jti: string, ttlMs: number): Promise<boolean> {
    return (await this.#redis.set(this.#prefix + jti, '1', 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX')) === 'OK';
  }

  async close(): Promise<void> {
    await this.#redis.quit?.();
  }
}

/** A Redis replay cache on `url` (ESQ_REDIS_URL, default redis://127.0.0.1:6379). */
export async function connectRedisReplayCache(url = process.env.ESQ_REDIS_URL ?? 'redis://127.0.0.1:6379', prefix?: string): Promise<RedisReplayCache> {
  const { Redis } = await import('ioredis');
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false });
  await client.connect();
  return new RedisReplayCache(client as unknown as RedisSetNx, prefix);
}
