/**
 * Budget alerts: recorded exactly once per (budget, period, threshold) by the ledger (a unique row
 * decides which replica fires), then delivered at least once. Every delivery of one alert carries the
 * same idempotency key, so a receiver can drop repeats. A delivery that fails is retried with backoff;
 * one whose replica died is picked up again by `redeliver()` once its lease lapses.
 */
import { createHmac } from 'node:crypto';
import { ConfigError } from '../../errors.js';
import { logger } from '../../util/log.js';
import type { AlertRecord, BudgetStore } from './budget-store.js';
import { formatUsd } from './money.js';

export interface AlertSink {
  /** Resolves once the alert was accepted; rejects to have it retried later. */
  deliver(alert: AlertRecord): Promise<void>;
}

/** Keeps deliveries in memory (tests, the CLI, single-process embedding). */
export class MemoryAlertSink implements AlertSink {
  readonly deliveries: AlertRecord[] = [];
  async deliver(alert: AlertRecord): Promise<void> {
    this.deliveries.push(alert);
  }
}

/** The JSON body a webhook receives. Identical on every attempt (the attempt number is a header). */
export function alertPayload(a: AlertRecord): Record<string, unknown> {
  return {
    type: 'esq.budget.threshold',
    idempotencyKey: a.idempotencyKey,
    tenant: a.tenant,
    budget: a.budgetKey,
    period: a.period,
    thresholdPercent: a.thresholdPercent,
    limitMicros: a.limitMicros,
    committedMicros: a.committedMicros,
    summary: `${a.budgetKey} ${a.period}: ${formatUsd(a.committedMicros)} of ${formatUsd(a.limitMicros)} committed (≥ ${a.thresholdPercent} %)`,
    recordedAt: new Date(a.recordedAtMs).toISOString(),
  };
}

/** `v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`: the receiver recomputes it and checks the timestamp is fresh. */
export function signWebhook(secret: string | Buffer, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export interface WebhookAlertSinkOptions {
  url: string;
  secret: string | Buffer;
  /** Injected for tests; default the global fetch. */
  fetch?: typeof fetch;
  /** Injected for tests (no real waiting); default setTimeout. */
  sleep?: (ms: number) => Promise<void>;
  /** Seconds since the epoch, for the signature timestamp. */
  now?: () => number;
  /** Attempts in this call before giving up (the alert stays pending for redelivery). Default 5. */
  attempts?: number;
  /** First backoff delay; doubles each retry, with jitter, capped at maxDelayMs. Default 250 ms. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Per-request timeout. Default 5000 ms. */
  timeoutMs?: number;
  random?: () => number;
}

const RETRY_STATUS = (s: number) => s === 408 || s === 425 || s === 429 || s >= 500;

export class WebhookAlertSink implements AlertSink {
  private readonly o: Required<Omit<WebhookAlertSinkOptions, 'secret' | 'url'>> & { url: string; secret: string | Buffer };

  constructor(opts: WebhookAlertSinkOptions) {
    if (!/^https?:\/\//.test(opts.url)) throw new TypeError('alert webhook url must be http(s)');
    this.o = {
      fetch: globalThis.fetch,
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      now: () => Math.floor(Date.now() / 1000),
      attempts: 5,
      baseDelayMs: 250,
      maxDelayMs: 30_000,
      timeoutMs: 5000,
      random: Math.random,
      ...opts,
    };
  }

  async deliver(alert: AlertRecord): Promise<void> {
    const body = JSON.stringify(alertPayload(alert));
    let lastError: unknown;
    for (let attempt = 1; attempt <= this.o.attempts; attempt++) {
      let retryAfterMs: number | undefined;
      try {
        const ts = this.o.now();
        const res = await this.o.fetch(this.o.url, {
          method: 'POST',
          body,
          headers: {
            'content-type': 'application/json',
            'idempotency-key': alert.idempotencyKey,
            'x-esq-timestamp': String(ts),
            'x-esq-signature': signWebhook(this.o.secret, ts, body),
            'x-esq-delivery-attempt': String(attempt),
          },
          signal: AbortSignal.timeout(this.o.timeoutMs),
        });
        if (res.ok) return;
        lastError = new Error(`alert webhook answered ${res.status}`);
        if (!RETRY_STATUS(res.status)) break; // 4xx: retrying the same body will not help
        const ra = Number(res.headers.get('retry-after'));
        if (Number.isFinite(ra) && ra > 0) retryAfterMs = ra * 1000;
      } catch (e) {
        lastError = e;
      }
      if (attempt < this.o.attempts) {
        const backoff = Math.min(this.o.maxDelayMs, this.o.baseDelayMs * 2 ** (attempt - 1));
        // Full jitter spreads retries from many replicas; a Retry-After from the receiver wins.
        await this.o.sleep(retryAfterMs ?? Math.round(backoff / 2 + (this.o.random() * backoff) / 2));
      }
    }
    throw lastError instanceof Error ? lastError : new Error(String(lastError));
  }
}

/**
 * The sink a pack's `settings.cost.alerts.webhook` asks for, its secret read from the named environment
 * variable (a pack never holds the secret). No webhook configured: undefined (alerts are recorded only).
 */
export function alertSinkFromSettings(
  webhook: { url: string; secretEnv: string } | undefined,
  env: NodeJS.ProcessEnv = process.env,
  extra: Omit<WebhookAlertSinkOptions, 'url' | 'secret'> = {},
): AlertSink | undefined {
  if (!webhook) return undefined;
  const secret = env[webhook.secretEnv];
  if (!secret) throw new ConfigError(`settings.cost.alerts.webhook: environment variable ${webhook.secretEnv} (the signing secret) is not set`);
  return new WebhookAlertSink({ ...extra, url: webhook.url, secret });
}

/** Delivers recorded alerts and marks them delivered; what fails stays pending for `redeliver`. */
export class AlertDispatcher {
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly store: BudgetStore,
    private readonly sink: AlertSink | undefined,
    private readonly clock: () => Date,
    readonly leaseMs = 60_000,
  ) {}

  /** Starts delivering in the background (a decision never waits on a webhook). */
  dispatch(alerts: readonly AlertRecord[]): void {
    if (!this.sink) return;
    for (const a of alerts) {
      const p = this.deliverOne(a).finally(() => this.inFlight.delete(p));
      this.inFlight.add(p);
    }
  }

  private async deliverOne(a: AlertRecord): Promise<void> {
    try {
      await this.sink!.deliver(a);
      await this.store.markAlertDelivered(a.idempotencyKey, this.clock().getTime());
    } catch (e) {
      logger().warn({ err: (e as Error).message, alert: a.idempotencyKey, budget: a.budgetKey, threshold: a.thresholdPercent }, 'budget alert delivery failed; will retry after its lease');
    }
  }

  /** Claims alerts whose delivery lapsed (failed, or their replica died) and delivers them again. */
  async redeliver(max = 100): Promise<number> {
    if (!this.sink) return 0;
    const claimed = await this.store.claimAlerts(this.clock().getTime(), this.leaseMs, max);
    this.dispatch(claimed);
    await this.flush();
    return claimed.length;
  }

  /** Waits for deliveries in flight (tests, shutdown). */
  async flush(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
  }
}
