/**
 * Buckets in Redis, shared by every replica: the GCRA step is one Lua script, so it is atomic on the
 * server. Each key expires by itself once its bucket has refilled (no cleanup job).
 */
import { createHash } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import type { RateStore } from './rate-store.js';

// Numbers are µs since the epoch (< 2^53, exact in Lua's doubles); %.0f keeps them out of exponent form.
const TAKE = `
local now = tonumber(ARGV[1])
local inc = tonumber(ARGV[2])
local tol = tonumber(ARGV[3])
local cur = redis.call('GET', KEYS[1])
local tat = now
if cur then tat = tonumber(cur) end
local from = math.max(tat, now)
if from + inc - tol > now then return {0, tat} end
local new = from + inc
redis.call('SET', KEYS[1], string.format('%.0f', new), 'PX', math.ceil((new - now) / 1000) + 1)
return {1, new}`;

const REFUND = `
local cur = redis.call('GET', KEYS[1])
if not cur then return 0 end
local now = tonumber(ARGV[2])
local new = math.max(tonumber(cur) - tonumber(ARGV[1]), now)
if new <= now then redis.call('DEL', KEYS[1]) else
  redis.call('SET', KEYS[1], string.format('%.0f', new), 'PX', math.ceil((new - now) / 1000) + 1) end
return 1`;

const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');

export interface RedisRateStoreOptions {
  /** An ioredis client to use (not closed by close()), or a URL (ESQ_REDIS_URL) to connect to. */
  client?: Redis;
  url?: string;
  /** Key prefix; tests use one per run. Default `esq:rate:`. */
  prefix?: string;
}

export class RedisRateStore implements RateStore {
  readonly kind = 'redis' as const;
  readonly scope = 'cluster' as const;
  readonly client: Redis;
  private readonly owns: boolean;
  private readonly prefix: string;

  constructor(opts: RedisRateStoreOptions) {
    if (!opts.client && !opts.url) throw new TypeError('RedisRateStore needs a client or a url');
    // Commands wait for the first connection, but while Redis is down they fail at the first failed
    // reconnect instead of queueing: the limiter's failure mode (open/closed) then decides.
    const own: RedisOptions = { maxRetriesPerRequest: 0, connectTimeout: 2000 };
    this.client = opts.client ?? new Redis(opts.url!, own);
    this.owns = !opts.client;
    this.prefix = opts.prefix ?? 'esq:rate:';
    // ioredis emits connection errors as events; unhandled they would crash the process.
    if (this.owns) this.client.on('error', () => {});
  }

  /** EVALSHA (the script is cached on the server), falling back to EVAL the first time or after a restart. */
  private async script(src: string, key: string, args: number[]): Promise<unknown> {
    const argv = args.map((a) => String(a));
    try {
      return await this.client.evalsha(sha1(src), 1, this.prefix + key, ...argv);
    } catch (e) {
      if (!/NOSCRIPT/.test((e as Error).message)) throw e;
      return this.client.eval(src, 1, this.prefix + key, ...argv);
    }
  }

  async take(key: string, nowUs: number, incUs: number, tolUs: number): Promise<{ allowed: boolean; tatUs: number }> {
    const [allowed, tat] = (await this.script(TAKE, key, [nowUs, incUs, tolUs])) as [number, number];
    return { allowed: allowed === 1, tatUs: Number(tat) };
  }

  async refund(key: string, incUs: number, nowUs: number): Promise<void> {
    await this.script(REFUND, key, [incUs, nowUs]);
  }

  async close(): Promise<void> {
    if (this.owns) this.client.disconnect();
  }
}
