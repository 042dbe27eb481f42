/**
 * The web console end to end, in headless Chromium against a real service: sign in, approve a
 * pending high-risk request while an SDK call waits for it, a second user denies a critical one,
 * incidents and budgets render real data, the overview charts traffic. Takes a screenshot of each
 * page (into docs/screenshots/ with ESQ_SCREENSHOTS=1).
 *
 * Needs Debian's /usr/bin/chromium (never downloads a browser) and the built console (dist/web).
 * Without Chromium the suite is skipped with a message, unless ESQ_REQUIRE_SERVICES=1.
 */
import assert from 'node:assert/strict';
import { appendFileSync, constants, cpSync, existsSync, mkdirSync } from 'node:fs';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { guard } from '../../src/hook/guard.js';
import { RemoteGovernor } from '../../src/hook/remote.js';
import { generateApiKey } from '../../src/server/auth/api-keys.js';
import { hashPassword } from '../../src/server/console/passwords.js';
import { defaultWebRoot } from '../../src/server/console/static.js';
import { startService, type Service } from '../../src/server/service.js';
import { packageRoot } from '../../src/util/package-root.js';
import { tempHome } from '../helpers.js';
import { needService } from '../services.js';

const CHROMIUM = '/usr/bin/chromium';
const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const gate = await needService('Chromium', () => access(CHROMIUM, constants.X_OK), `install Debian's chromium (${CHROMIUM}) to run the console browser tests`);

/** ESQ_SCREENSHOTS=1 refreshes docs/screenshots/; otherwise they go to the run's temporary folder, so tests leave the tree clean. */
const DOC_SHOTS = process.env.ESQ_SCREENSHOTS === '1';
const PASSWORD = 'correct horse battery staple';
const ADMIN = 'esq_admin_key_for_console_e2e_0123456789';
const VIEWPORT = { width: 1366, height: 820 };

/**
 * Runs in the page: every element with its own visible text, against the first opaque background
 * behind it (WCAG 2 relative luminance). Returns the failures as text.
 */
const CONTRAST_AUDIT = `(() => {
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const bg = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] === 1)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('canvas, .sr-only, [aria-hidden=true], script, style')) continue;
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own || el.getClientRects().length === 0) continue;
    const s = getComputedStyle(el);
    if (s.visibility === 'hidden' || Number(s.opacity) === 0) continue;
    const fg = rgb(s.color).slice(0, 3);
    const [a, b] = [lum(fg), lum(bg(el))].sort((x, y) => y - x);
    const ratio = (a + 0.05) / (b + 0.05);
    const size = parseFloat(s.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(s.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) out.push(el.tagName.toLowerCase() + ' "' + el.textContent.trim().slice(0, 40) + '" ' + ratio.toFixed(2) + ':1');
  }
  return out;
})()`;

describe('web console in a browser', gate.skip ? { skip: gate.skip } : {}, () => {
  const tmp = tempHome('esq-e2e-');
  const SHOTS = DOC_SHOTS ? join(packageRoot(), 'docs', 'screenshots') : join(tmp.dir, 'screenshots');
  let svc: Service;
  let url: string;
  let browser: Browser;
  let agentKey: string;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];

  async function v1(method: 'GET' | 'POST', path: string, body?: unknown, key = ADMIN): Promise<{ status: number; json: any }> {
    const r = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await r.text();
    return { status: r.status, json: text ? JSON.parse(text) : undefined };
  }

  /** A fresh browser profile (its own cookies), recording console errors and CSP violations. */
  async function newPage(): Promise<Page> {
    const ctx = await browser.newContext({ viewport: VIEWPORT, locale: 'en-US', timezoneId: 'UTC', reducedMotion: 'reduce' });
    contexts.push(ctx);
    const page = await ctx.newPage();
    page.setDefaultTimeout(10_000);
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of 40[14]/.test(m.text())) problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    return page;
  }

  async function signIn(page: Page, user: string): Promise<void> {
    await page.goto(`${url}/console/`);
    await page.waitForURL(/\/console\/signin\?next=/);
    await page.getByLabel('User name').fill(user);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByLabel('Password').press('Enter'); // the form works from the keyboard
    await page.waitForURL(`${url}/console/`);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
  }

  async function shot(page: Page, name: string): Promise<void> {
    await page.evaluate('document.fonts.ready');
    await page.screenshot({ path: join(SHOTS, name), fullPage: true });
  }

  before(async () => {
    assert.ok(existsSync(join(defaultWebRoot(), 'index.html')), `the console is not built (${defaultWebRoot()}): run "npx vite build --config web/vite.config.ts"`);
    mkdirSync(SHOTS, { recursive: true });
    // The hipaa pack plus budgets, so the budgets page has a real ledger to show.
    const pack = join(tmp.dir, 'pack');
    cpSync(join(packageRoot(), 'packs', 'hipaa'), pack, { recursive: true });
    appendFileSync(join(pack, 'pack.yaml'), '  cost:\n    budgets:\n      - { scope: tenant, daily: "5.00", monthly: "100.00" }\n');
    svc = await startService({ home: tmp.dir, env: 'prod', pack, adminKey: ADMIN, watch: false });
    url = await svc.app.listen({ port: 0, host: '127.0.0.1' });
    assert.ok(svc.app.hasRoute({ method: 'GET', url: '/console/*' }), 'registerConsole() is not wired into buildApp (src/server/app.ts)');
    const hash = await hashPassword(PASSWORD);
    for (const name of ['alice', 'bob']) await svc.store.putConsoleUser({ name, passwordHash: hash, roles: ['approve', 'read'], tenant: null, createdAt: new Date() });
    const k = generateApiKey();
    await svc.store.putApiKey({ id: `agent-${k.id}`, hash: k.hash, roles: ['decide'], tenant: 'va', label: 'claims agent', createdAt: new Date() });
    agentKey = k.key;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
  });

  after(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await svc?.close();
    tmp.cleanup();
  });

  it('keeps the console behind sign-in and out of the public API document', async () => {
    const page = await fetch(`${url}/console/approvals`, { redirect: 'manual' });
    assert.equal(page.status, 302);
    assert.equal(page.headers.get('location'), '/console/signin?next=%2Fconsole%2Fapprovals');
    assert.equal((await fetch(`${url}/console/api/v1/approvals`)).status, 401);
    // A bearer key is not a console session.
    assert.equal((await fetch(`${url}/console/api/v1/approvals`, { headers: { authorization: `Bearer ${ADMIN}` } })).status, 401);
    const doc = (await v1('GET', '/openapi.json')).json as { paths: Record<string, unknown> };
    assert.ok(Object.keys(doc.paths).includes('/v1/approvals'));
    assert.deepEqual(Object.keys(doc.paths).filter((p) => p.startsWith('/console')), []);
  });

  it('signs in (a wrong password is refused with a message)', async () => {
    const page = await newPage();
    await page.goto(`${url}/console/incidents`);
    await page.waitForURL(/\/console\/signin\?next=%2Fconsole%2Fincidents/);
    await shot(page, 'signin.png');
    await page.getByLabel('User name').fill('alice');
    await page.getByLabel('Password').fill('wrong password!');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    assert.match((await page.getByRole('alert').textContent()) ?? '', /Unknown user or wrong password/);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(`${url}/console/incidents`); // back where the user was going
    await page.getByRole('heading', { level: 1, name: 'Incidents' }).waitFor();
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'esq_console')!;
    assert.deepEqual([session.httpOnly, session.sameSite, session.path], [true, 'Strict', '/console']);
  });

  it('approves a pending high-risk request, and the waiting SDK call proceeds', async () => {
    const remote = new RemoteGovernor({ url, apiKey: agentKey });
    let ran = 0;
    const deletePhi = guard(
      async function delete_phi(mrn: string) {
        ran++;
        return `deleted ${mrn}`;
      },
      { remote, approval: { waitMs: 30_000 } },
    );
    const waiting = deletePhi('MRN-E2E');
    waiting.catch(() => undefined); // awaited below; this keeps an early failure from being reported as unhandled
    // A critical request too, so the queue shows both risk classes.
    const crit = await v1('POST', '/v1/decide', { name: 'purge_records', principal: { id: 'records-bot' }, tenant: 'va' }, agentKey);
    assert.equal(crit.status, 202);

    const page = await newPage();
    await signIn(page, 'alice');
    await page.getByRole('link', { name: 'Approvals' }).click();
    const row = page.locator('tr', { hasText: 'delete_phi' });
    await row.waitFor(); // the queue refreshes by itself
    await page.locator('tr', { hasText: 'purge_records' }).waitFor();
    assert.match((await row.textContent()) ?? '', /high/);
    assert.match((await row.textContent()) ?? '', /agent-/, 'the requester is the authenticated key');
    assert.match((await row.textContent()) ?? '', /\d+ h \d+ min/, 'time left is shown');
    assert.equal(ran, 0, 'the guarded function has not run yet');

    await row.getByRole('button', { name: /Review/ }).click();
    await page.getByRole('button', { name: 'Approve', exact: true }).click();
    assert.match((await page.getByRole('alert').first().textContent()) ?? '', /Give a reason/, 'a vote needs a reason');
    await page.getByLabel('Reason (recorded in the audit log)').fill('Verified with the patient by phone');
    await shot(page, 'approvals.png');
    await page.getByRole('button', { name: 'Approve', exact: true }).click();
    await page.getByRole('status').getByText(/Approved delete_phi .*: approved\./).waitFor();
    assert.equal(await waiting, 'deleted MRN-E2E');
    assert.equal(ran, 1);
    await remote.close();

    // The vote is alice's, under the same identity rules as API keys.
    const list = (await v1('GET', '/v1/approvals?status=approved')).json.items as Array<{ summary: { action: string }; votes: Array<{ approver: string; reason: string }> }>;
    const approved = list.find((a) => a.summary.action === 'delete_phi')!;
    assert.deepEqual(approved.votes.map((v) => [v.approver, v.reason]), [['user:alice', 'Verified with the patient by phone']]);

    // alice gives the critical request its first of two approvals.
    const critRow = page.locator('tr', { hasText: 'purge_records' });
    await critRow.getByRole('button', { name: /Review/ }).click();
    await page.getByLabel('Reason (recorded in the audit log)').fill('Retention period has passed');
    await page.getByRole('button', { name: 'Approve', exact: true }).click();
    await page.getByRole('status').getByText(/your approval is recorded; 1 more needed/).waitFor();
  });

  it('lets a second user deny the critical request', async () => {
    const page = await newPage();
    await signIn(page, 'bob');
    await page.goto(`${url}/console/approvals`);
    const row = page.locator('tr', { hasText: 'purge_records' });
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /critical/);
    assert.match((await row.textContent()) ?? '', /1 of 2 approvals/);
    await row.getByRole('button', { name: /Review/ }).click();
    assert.match((await page.locator('.review').textContent()) ?? '', /user:alice approved/);
    await page.getByLabel('Reason (recorded in the audit log)').fill('No legal basis to purge these records yet');
    await page.getByRole('button', { name: 'Deny', exact: true }).click();
    await page.getByRole('status').getByText(/Denied purge_records .*: denied\./).waitFor();
    await page.getByText('Nothing is waiting for approval').waitFor();

    const denied = (await v1('GET', '/v1/approvals?status=denied')).json.items as Array<{ summary: { action: string }; votes: Array<{ approver: string; decision: string }> }>;
    const d = denied.find((a) => a.summary.action === 'purge_records')!;
    assert.deepEqual(d.votes.map((v) => [v.approver, v.decision]), [['user:alice', 'approve'], ['user:bob', 'deny']]);

    await page.getByRole('navigation', { name: 'Approval lists' }).getByRole('link', { name: 'History' }).click();
    const hist = page.locator('tr', { hasText: 'purge_records' });
    await hist.waitFor();
    assert.match((await hist.textContent()) ?? '', /denied/);
    assert.match((await hist.textContent()) ?? '', /user:bob denied: “No legal basis/);
  });

  it('lists incidents with filters and opens one with its rule, reason and argument hashes', async () => {
    for (const [dest, tenant] of [['s3://public_dump/a.pdf', 'va'], ['s3://public_dump/b.pdf', 'dod']] as const) {
      const r = await v1('POST', '/v1/decide', { name: 'export_phi', args: { file: 'patient_007.pdf', dest }, dest, tenant, principal: { id: 'exporter' } });
      assert.equal(r.json.effect, 'block');
    }
    const page = await newPage();
    await signIn(page, 'alice');
    await page.getByRole('link', { name: 'Incidents' }).click();
    const rows = page.locator('table.data tbody tr');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 2);
    assert.match((await rows.first().textContent()) ?? '', /HIPAA-SC-12/);

    await page.getByLabel('Tenant').fill('va');
    await page.getByLabel('Rule').selectOption('HIPAA-SC-12');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/ruleId=HIPAA-SC-12/);
    await page.waitForFunction("document.querySelectorAll('table.data tbody tr').length === 1");
    assert.match((await rows.first().textContent()) ?? '', /va/);
    await shot(page, 'incidents.png');

    await page.getByLabel('Tenant').fill('nobody');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('No incidents match these filters').waitFor();
    await page.getByRole('button', { name: 'Clear' }).click();
    await rows.nth(1).waitFor();

    await rows.first().getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: /^Incident INC-/ }).waitFor();
    await page.getByRole('heading', { name: 'Argument hashes' }).waitFor();
    const body = (await page.locator('main').textContent()) ?? '';
    assert.match(body, /HIPAA-SC-12/);
    assert.match(body, /PHI to public bucket/);
    assert.match(body, /hmac-sha256:[0-9a-f]{64}/, 'argument hashes are shown');
    assert.doesNotMatch(body, /patient_007\.pdf/, 'argument values never reach the console');
    await shot(page, 'incident-detail.png');
  });

  it('shows the real budget ledger', async () => {
    // Spend through the API: a metered call reserves, then settles at its actual cost.
    const d = await v1('POST', '/v1/decide', { name: 'llm.chat', content: 'Draft a reminder letter.', cost: { model: 'gpt-4o', maxOutputTokens: 200 }, principal: { id: 'agent' } });
    assert.equal(d.status, 200);
    assert.equal((await v1('POST', `/v1/reservations/${d.json.reservation.id}/settle`, { actualMicros: 1_250_000 })).status, 200);
    const api = await v1('GET', '/v1/budgets');
    assert.equal(api.status, 200);
    assert.ok((api.json.items as unknown[]).length >= 2, 'a day and a month line');
    const page = await newPage();
    await signIn(page, 'alice');
    await page.getByRole('link', { name: 'Budgets' }).click();
    await page.getByRole('heading', { level: 1, name: 'Budgets' }).waitFor();
    const n = (api.json.items as unknown[]).length;
    await page.locator('[role=meter]').first().waitFor();
    assert.equal(await page.locator('[role=meter]').count(), n, 'one meter per budget line from the real ledger');
    assert.match((await page.locator('main').textContent()) ?? '', /\$1\.25/, 'the settled spend is shown');
    await shot(page, 'budgets.png');
  });

  it('draws each budget with its alert thresholds marked (budget data given to the browser)', async () => {
    // The UI contract for GET /v1/budgets, answered inside the browser: the real endpoint may not exist yet.
    const line = (tenant: string, period: 'day' | 'month', periodKey: string, limit: number, spent: number, reserved: number, alerted: number[]) => ({
      tenant, budget: 'tenant', period, periodKey, limitMicros: limit * 1e6, spentMicros: spent * 1e6, reservedMicros: reserved * 1e6,
      utilisation: spent / limit, thresholds: [0.5, 0.8, 0.95, 1], alerted,
    });
    const items = [
      line('va', 'month', '2026-11', 500, 410, 12, [0.5, 0.8]),
      line('va', 'day', '2026-11-22', 40, 9, 1.5, []),
      line('dod', 'month', '2026-11', 200, 204, 0, [0.5, 0.8, 0.95, 1]),
      line('ihs', 'day', '2026-11-22', 25, 13.5, 0, [0.5]),
    ];
    const page = await newPage();
    await page.route('**/console/api/v1/budgets', (r) => r.fulfill({ json: { items } }));
    await signIn(page, 'alice');
    await page.getByRole('link', { name: 'Budgets' }).click();
    const meters = page.locator('[role=meter]');
    await meters.first().waitFor();
    assert.equal(await meters.count(), 4);
    const rows = page.locator('table.budgets tbody tr');
    assert.deepEqual(await rows.locator('th').allTextContents(), ['dod', 'ihs', 'va', 'va'], 'sorted by tenant');
    const vaMonth = rows.filter({ hasText: '2026-11' }).filter({ hasText: 'va' }).filter({ hasText: 'Month' });
    assert.equal(await vaMonth.locator('[role=meter]').getAttribute('aria-valuenow'), '82');
    assert.match((await vaMonth.locator('[role=meter]').getAttribute('aria-valuetext')) ?? '', /82 % used, 2 % more reserved; alerts at 50 %, 80 %, 95 %, 100 %/);
    assert.equal(await vaMonth.locator('.meter-tick').count(), 4, 'every threshold is marked');
    assert.equal(await vaMonth.locator('.meter-tick-hit').count(), 2, 'the 50 and 80 % alerts were sent');
    assert.match((await vaMonth.textContent()) ?? '', /\$410\.00.*\$12\.00.*\$500\.00/);
    assert.match((await rows.filter({ hasText: 'dod' }).textContent()) ?? '', /102 %.*limit reached/);
    await shot(page, 'budgets-sample-data.png');
  });

  it('charts violations and shows rate, latency, backlog, audit chain and policy on the overview', async () => {
    const page = await newPage();
    await signIn(page, 'alice');
    await page.locator('.uplot canvas').first().waitFor();
    assert.equal(await page.locator('.uplot').count(), 2);
    const stat = async (label: string) => (await page.locator('section.stat', { has: page.getByRole('heading', { name: label }) }).textContent()) ?? '';
    assert.match(await stat('Approval backlog'), /Approval backlog0nothing waiting/);
    assert.match(await stat('Audit chain'), /Intact/);
    assert.match(await stat('Policy'), /hipaa/);
    assert.match(await stat('Decision latency'), /p50 [\d.]+ (µs|ms)/);
    assert.match(await page.locator('figcaption').first().textContent() ?? '', /2 blocked decisions/);
    // The chart's numbers are available as a table too.
    await page.getByText('Show the numbers as a table').first().click();
    const cells = await page.locator('.chart-table').first().locator('tbody td').allTextContents();
    assert.equal(cells.map(Number).reduce((a, b) => a + b, 0) >= 2, true);
    await page.getByText('Show the numbers as a table').first().click();
    await shot(page, 'overview.png');
  });

  it('keeps text contrast at WCAG AA (4.5:1, 3:1 for large text) on every page', async () => {
    const page = await newPage();
    const failures: string[] = [];
    const check = async (where: string) => {
      await page.waitForLoadState('networkidle');
      failures.push(...((await page.evaluate(CONTRAST_AUDIT)) as string[]).map((f) => `${where}: ${f}`));
    };
    await page.goto(`${url}/console/signin`);
    await page.getByLabel('User name').waitFor();
    await check('sign-in');
    await signIn(page, 'alice');
    await page.locator('.uplot').first().waitFor();
    await check('overview');
    for (const [path, ready] of [
      ['/console/approvals', 'Nothing is waiting for approval'],
      ['/console/approvals/history', 'purge_records'],
      ['/console/incidents', 'PHI to public bucket'],
      ['/console/budgets', 'Budgets'],
    ] as const) {
      await page.goto(`${url}${path}`);
      await page.getByText(ready).first().waitFor();
      await check(path);
    }
    assert.deepEqual(failures, []);
  });

  it('signs out, and the session no longer works', async () => {
    const page = await newPage();
    await signIn(page, 'bob');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/console\/signin/);
    await page.goto(`${url}/console/approvals`);
    await page.waitForURL(/\/console\/signin\?next=/);
  });

  it('ran without script errors or content-security-policy violations', () => {
    assert.deepEqual(problems, []);
  });
});
