/**
 * Cost and rate controls as the service runs them: stores chosen from the deployment (SQLite
 * files beside the main store, or the shared PostgreSQL / Redis), settings compiled per policy
 * version from the pack, and a controller + limiter per compiled pack.
 */
import { join } from 'node:path';
import { compileControls } from '../controls/config.js';
import type { BudgetStore } from '../controls/cost/budget-store.js';
import { createCostController, type CostController } from '../controls/cost/controller.js';
import { PostgresBudgetStore } from '../controls/cost/postgres-budget-store.js';
import { SqliteBudgetStore } from '../controls/cost/sqlite-budget-store.js';
import { createRateLimiter, type RateLimiter } from '../controls/rate/limiter.js';
import type { RateStore } from '../controls/rate/rate-store.js';
import { RedisRateStore } from '../controls/rate/redis-rate-store.js';
import { PostgresRateStore, SqliteRateStore } from '../controls/rate/sql-rate-store.js';
import type { PolicySet } from '../engine/policy-set.js';
import type { Logger } from '../util/log.js';
import type { Metrics } from './metrics.js';

export interface Controls {
  /** Undefined when the pack configures no budgets and no rate limits. */
  for(ps: PolicySet): { cost: CostController; limiter: RateLimiter; hasBudgets: boolean; hasLimits: boolean } | undefined;
  budgetStore: BudgetStore;
  close(): Promise<void>;
}

export async function openControls(o: { home: string; databaseUrl?: string; schema?: string; redisUrl?: string; metrics: Metrics; log: Logger }): Promise<Controls> {
  const budgetStore: BudgetStore = o.databaseUrl
    ? new PostgresBudgetStore({ url: o.databaseUrl, ...(o.schema ? { schema: o.schema } : {}) })
    : new SqliteBudgetStore({ path: join(o.home, 'budgets.db') });
  await budgetStore.migrate();
  const rateStore: RateStore = o.redisUrl
    ? new RedisRateStore({ url: o.redisUrl, prefix: `esq:${o.schema ?? 'rate'}:` })
    : o.databaseUrl
      ? new PostgresRateStore({ url: o.databaseUrl, ...(o.schema ? { schema: o.schema } : {}) })
      : new SqliteRateStore({ path: join(o.home, 'rate.db') });
  if ('migrate' in rateStore && typeof rateStore.migrate === 'function') await (rateStore.migrate as () => Promise<unknown>)();

  const cache = new WeakMap<PolicySet, ReturnType<Controls['for']>>();
  return {
    budgetStore,
    for(ps) {
      if (cache.has(ps)) return cache.get(ps);
      const settings = ps.settings as { cost?: unknown; rateLimits?: unknown };
      let entry: ReturnType<Controls['for']>;
      if (settings.cost || settings.rateLimits) {
        const c = compileControls({ ...(settings.cost ? { cost: settings.cost } : {}), ...(settings.rateLimits ? { rateLimits: settings.rateLimits } : {}) });
        entry = {
          cost: createCostController({ store: budgetStore, prices: c.prices, budgets: c.budgets }),
          limiter: createRateLimiter(c.rateLimits, rateStore, {
            onFallback: (e) => {
              o.metrics.remoteFallbacks.inc({ mode: `rate-${e.mode}` });
              o.log.warn({ rule: e.ruleId, store: e.store }, 'rate-limit store unreachable; admitted under fail-open');
            },
          }),
          hasBudgets: c.budgets.rules.length > 0 || c.budgets.maxCostPerCallMicros !== undefined || Object.keys(c.budgets.operations).length > 0,
          hasLimits: c.rateLimits.rules.length > 0,
        };
      }
      cache.set(ps, entry);
      return entry;
    },
    async close() {
      await budgetStore.close();
      await (rateStore as { close?: () => Promise<void> }).close?.();
    },
  };
}
