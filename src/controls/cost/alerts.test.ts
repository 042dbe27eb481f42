import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import type { AlertRecord } from './budget-store.js';
import { ConfigError } from '../../errors.js';
import { WebhookAlertSink, alertPayload, alertSinkFromSettings, signWebhook } from './alerts.js';

const alert: AlertRecord = {
  idempotencyKey: 'esq-budget-0123456789abcdef0123456789abcdef',
  budgetKey: 'tenant=acme',
  period: 'day:2026-11-22',
  thresholdPercent: 80,
  tenant: 'acme',
  limitMicros: 1_000_000,
  committedMicros: 812_000,
  recordedAtMs: Date.parse('2026-11-22T10:00:00Z'),
  attempts: 1,
};

interface Call {
  url: string;
  headers: Record<string, string>;
  body: string;
}

function fakeFetch(statuses: Array<number | 'network'>, extra: Record<string, string> = {}) {
  const calls: Call[] = [];
  const f = (async (url: string, init: RequestInit) => {
    calls.push({ url, headers: init.headers as Record<string, string>, body: String(init.body) });
    const s = statuses.shift() ?? 200;
    if (s === 'network') throw new TypeError('fetch failed: ECONNRESET');
    return new Response(null, { status: s, headers: extra });
  }) as unknown as typeof fetch;
  return { f, calls };
}

describe('webhook alert sink', () => {
  it('signs the body with HMAC-SHA256 over "<timestamp>.<body>" and sends the idempotency key', async () => {
    const { f, calls } = fakeFetch([200]);
    await new WebhookAlertSink({ url: 'https://hooks.example/esq', secret: 's3cret', fetch: f, now: () => 1_790_000_000 }).deliver(alert);
    assert.equal(calls.length, 1);
    const c = calls[0]!;
    assert.equal(c.headers['idempotency-key'], alert.idempotencyKey);
    assert.equal(c.headers['x-esq-timestamp'], '1790000000');
    const expected = createHmac('sha256', 's3cret').update(`1790000000.${c.body}`).digest('hex');
    assert.equal(c.headers['x-esq-signature'], `v1=${expected}`);
    assert.equal(signWebhook('s3cret', 1_790_000_000, c.body), `v1=${expected}`);
    assert.deepEqual(JSON.parse(c.body), alertPayload(alert));
    assert.equal(JSON.parse(c.body).thresholdPercent, 80);
  });

  it('retries network errors and 5xx/429 with growing backoff, the same key and body every time', async () => {
    const { f, calls } = fakeFetch(['network', 503, 429, 200]);
    const waits: number[] = [];
    const sink = new WebhookAlertSink({ url: 'https://hooks.example/esq', secret: 'k', fetch: f, sleep: async (ms) => void waits.push(ms), random: () => 1, baseDelayMs: 100 });
    await sink.deliver(alert);
    assert.equal(calls.length, 4);
    assert.deepEqual(waits, [100, 200, 400], 'exponential (jitter at its maximum here)');
    assert.equal(new Set(calls.map((c) => c.headers['idempotency-key'])).size, 1);
    assert.equal(new Set(calls.map((c) => c.body)).size, 1);
    assert.deepEqual(calls.map((c) => c.headers['x-esq-delivery-attempt']), ['1', '2', '3', '4']);
  });

  it('honours Retry-After, gives up after its attempts, and does not retry a 4xx', async () => {
    const waits: number[] = [];
    const ra = fakeFetch([429, 200], { 'retry-after': '7' });
    await new WebhookAlertSink({ url: 'https://h.example', secret: 'k', fetch: ra.f, sleep: async (ms) => void waits.push(ms) }).deliver(alert);
    assert.deepEqual(waits, [7000]);

    const down = fakeFetch([500, 500, 500]);
    await assert.rejects(new WebhookAlertSink({ url: 'https://h.example', secret: 'k', fetch: down.f, sleep: async () => {}, attempts: 3 }).deliver(alert), /answered 500/);
    assert.equal(down.calls.length, 3);

    const bad = fakeFetch([400]);
    await assert.rejects(new WebhookAlertSink({ url: 'https://h.example', secret: 'k', fetch: bad.f, sleep: async () => {} }).deliver(alert), /answered 400/);
    assert.equal(bad.calls.length, 1);
  });

  it('is built from pack settings with its secret from the environment, never from the pack', async () => {
    assert.equal(alertSinkFromSettings(undefined), undefined);
    const cfg = { url: 'https://hooks.example/esq', secretEnv: 'ESQ_TEST_ALERT_SECRET' };
    assert.throws(() => alertSinkFromSettings(cfg, {}), (e: unknown) => e instanceof ConfigError && /ESQ_TEST_ALERT_SECRET/.test((e as Error).message));
    const { f, calls } = fakeFetch([200]);
    await alertSinkFromSettings(cfg, { ESQ_TEST_ALERT_SECRET: 'from-env' }, { fetch: f, now: () => 1 })!.deliver(alert);
    assert.equal(calls[0]!.headers['x-esq-signature'], signWebhook('from-env', 1, calls[0]!.body));
  });
});
