/**
 * Cost controls and rate limits through the HTTP API: 429 with Retry-After and RateLimit-*
 * headers, budget refusals that name the budget, reserve → settle, and GET /v1/budgets.
 */
import assert from 'node:assert/strict';
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BUILTIN_PACKS_DIR } from '../../src/policy/pack-files.js';
import { startService, type Service } from '../../src/server/service.js';
import { tempHome } from '../helpers.js';

const tmp = tempHome('esq-ctl-');
let svc: Service;
const ADMIN = 'esq_admin_key_for_controls_0123456789';
const call = (method: 'GET' | 'POST', path: string, body?: unknown) =>
  svc.app.inject({ method, url: path, headers: { authorization: `Bearer ${ADMIN}` }, ...(body !== undefined ? { payload: body as object } : {}) });

before(async () => {
  const pack = join(tmp.dir, 'pack');
  cpSync(join(BUILTIN_PACKS_DIR, 'hipaa'), pack, { recursive: true });
  writeFileSync(
    join(pack, 'pack.yaml'),
    `name: metered
settings:
  cost:
    budgets:
      - { scope: tenant, daily: "0.05", monthly: "1.00" }
    maxCostPerCall: "0.04"
  rateLimits:
    rules:
      - { id: per-tenant, by: [tenant], limit: 5, periodSeconds: 60 }
`,
  );
  svc = await startService({ home: join(tmp.dir, 'home'), env: 'dev', pack, adminKey: ADMIN, watch: false });
});
after(async () => {
  await svc.close();
  tmp.cleanup();
});

describe('cost and rate controls over HTTP', () => {
  it('reserves the estimate, refuses what would exceed the budget with the budget named, and settles', async () => {
    const chat = { name: 'llm.chat', tenant: 'acme', content: 'Summarise the quarterly report for the board.', cost: { model: 'gpt-4o', maxOutputTokens: 1000 }, principal: { id: 'agent' } };
    const first = await call('POST', '/v1/decide', chat);
    assert.equal(first.statusCode, 200, first.body);
    const res = first.json().reservation;
    assert.ok(res?.id, 'a reservation is returned with an allowed metered call');
    assert.ok(res.amountMicros > 0);
    const settled = await call('POST', `/v1/reservations/${res.id}/settle`, { actualMicros: 1234 });
    assert.equal(settled.statusCode, 200, settled.body);

    const big = await call('POST', '/v1/decide', { ...chat, cost: { model: 'gpt-4o', maxOutputTokens: 200000 } });
    assert.equal(big.json().effect, 'block');
    assert.equal(big.json().ruleId, 'ESQ-BUDGET');
    assert.match(big.json().reason, /0\.04|per call|maximum/i);

    const b = await call('GET', '/v1/budgets?tenant=acme');
    assert.equal(b.statusCode, 200);
    const day = b.json().items.find((i: { period: string }) => i.period === 'day');
    assert.equal(day.spentMicros, 1234, 'the ledger holds the settled cost exactly');
    assert.equal(day.limitMicros, 50_000);
  });

  it('answers 429 with Retry-After and RateLimit headers once the tenant limit is reached; refusals consume nothing', async () => {
    const act = { name: 'list_reports', tenant: 'rl' };
    const codes: number[] = [];
    let last;
    for (let i = 0; i < 7; i++) {
      last = await call('POST', '/v1/decide', act);
      codes.push(last.statusCode);
    }
    assert.deepEqual(codes, [200, 200, 200, 200, 200, 429, 429]);
    assert.ok(Number(last!.headers['retry-after']) >= 1);
    assert.equal(last!.json().error.code, 'ESQ_RATE_LIMITED');
    assert.ok(last!.headers['ratelimit-limit'] !== undefined || last!.headers['ratelimit'] !== undefined, JSON.stringify(last!.headers));
    const other = await call('POST', '/v1/decide', { ...act, tenant: 'someone-else' });
    assert.equal(other.statusCode, 200, 'limits are per tenant');
  });
});

describe('throttling through the HTTP API', () => {
  it('shrinks the allowed rate as the budget fills, answering 429 with Retry-After sooner', async () => {
    const rateOf = (r: { headers: Record<string, unknown> }) => Number(r.headers['ratelimit-limit']);
    const tenant = 'thr';
    const before = await call('POST', '/v1/decide', { name: 'list_reports', tenant });
    assert.equal(before.statusCode, 200);
    const full = rateOf(before);
    assert.equal(full, 5);
    // Spend 96 % of the day's $0.05 through a reservation settled at its actual cost.
    const chat = await call('POST', '/v1/decide', { name: 'llm.chat', tenant, content: 'hello', cost: { model: 'gpt-4o', maxOutputTokens: 100 } });
    assert.equal(chat.statusCode, 200, chat.body);
    await call('POST', `/v1/reservations/${chat.json().reservation.id}/settle`, { actualMicros: 48_000 });
    const after = await call('POST', '/v1/decide', { name: 'list_reports', tenant });
    const shrunk = rateOf(after);
    assert.ok(shrunk < full, `the limit shrank with utilisation (${full} → ${shrunk})`);
    const budgets = (await call('GET', `/v1/budgets?tenant=${tenant}`)).json();
    assert.ok(budgets.utilisation > 0.9);
    assert.ok(budgets.throttleFactor < 1);
    let r = after;
    for (let i = 0; i < 5 && r.statusCode !== 429; i++) r = await call('POST', '/v1/decide', { name: 'list_reports', tenant });
    assert.equal(r.statusCode, 429);
    assert.ok(Number(r.headers['retry-after']) >= 1);
  });
});
