/**
 * Webhook delivery: HMAC-SHA256-signed JSON bodies with an idempotency key, retried with
 * exponential backoff, and written to a dead-letter file after the last attempt — nothing is
 * dropped silently. Delivery runs off the request path.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from '../util/log.js';

export interface WebhookEvent {
  id: string;
  type: string;
  time: string;
  data: Record<string, unknown>;
}

export interface WebhookOptions {
  url: string;
  secret: string;
  /** Attempts before dead-lettering (default 6). */
  maxAttempts?: number;
  /** First retry delay (default 500 ms), doubling each time. */
  baseDelayMs?: number;
  deadLetterFile: string;
  fetch?: typeof fetch;
  log?: Logger;
  onResult?: (event: WebhookEvent, result: 'delivered' | 'dead-letter', attempts: number) => void;
}

export function signature(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

export class WebhookSink {
  #inFlight = new Set<Promise<void>>();
  constructor(private readonly o: WebhookOptions) {}

  /** Queues an event; returns at once. `id` doubles as the idempotency key receivers dedupe on. */
  send(type: string, data: Record<string, unknown>, id: string = randomUUID()): void {
    const event: WebhookEvent = { id, type, time: new Date().toISOString(), data };
    const p = this.#deliver(event).finally(() => this.#inFlight.delete(p));
    this.#inFlight.add(p);
  }

  async #deliver(event: WebhookEvent): Promise<void> {
    const body = JSON.stringify(event);
    const max = this.o.maxAttempts ?? 6;
    const f = this.o.fetch ?? fetch;
    let lastError = '';
    for (let attempt = 1; attempt <= max; attempt++) {
      const ts = String(Math.floor(Date.now() / 1000));
      try {
        const res = await f(this.o.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': event.id, 'x-esq-timestamp': ts, 'x-esq-signature': `sha256=${signature(this.o.secret, ts, body)}` },
          body,
          signal: AbortSignal.timeout(5000),
        });
        if (res.ok) {
          this.o.onResult?.(event, 'delivered', attempt);
          return;
        }
        lastError = `HTTP ${res.status}`;
      } catch (e) {
        lastError = (e as Error).message;
      }
      if (attempt < max) await new Promise((r) => setTimeout(r, (this.o.baseDelayMs ?? 500) * 2 ** (attempt - 1)));
    }
    mkdirSync(dirname(this.o.deadLetterFile), { recursive: true, mode: 0o700 });
    appendFileSync(this.o.deadLetterFile, `${JSON.stringify({ event, attempts: max, lastError, at: new Date().toISOString() })}\n`, { mode: 0o600 });
    this.o.log?.error({ event: event.type, id: event.id, lastError }, 'webhook dead-lettered');
    this.o.onResult?.(event, 'dead-letter', max);
  }

  /** Waits for deliveries under way (shutdown, tests). */
  async drain(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }
}
