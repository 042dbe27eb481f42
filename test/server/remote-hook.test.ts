/**
 * guard() against a real decision-service process: allow, block with the service's incident id,
 * the service down (fail-closed refuses, fail-open proceeds), and circuit-breaker recovery.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PolicyViolation } from '../../src/errors.js';
import { guard } from '../../src/hook/guard.js';
import { RemoteGovernor, UNAVAILABLE_RULE_ID } from '../../src/hook/remote.js';
import { tempHome } from '../helpers.js';
import { startServiceProcess, type ServiceProcess } from '../service-process.js';

const tmp = tempHome('esq-remote-');
let svc: ServiceProcess;
let remote: RemoteGovernor;

before(async () => {
  svc = await startServiceProcess({ home: tmp.dir, env: { ESQ_ENV: 'prod' } });
  remote = new RemoteGovernor({ url: svc.url, apiKey: svc.adminKey, timeoutMs: 500, breakerThreshold: 3, halfOpenAfterMs: 300 });
});
after(async () => {
  await remote.close();
  await svc.stop();
  tmp.cleanup();
});

describe('remote guard()', () => {
  it('runs an allowed call and refuses a blocked one with the incident id the service filed', async () => {
    let ran = 0;
    const exportPhi = guard(async function export_phi(file: string, dest: string) {
      ran++;
      return `${file}->${dest}`;
    }, { remote, principal: { id: 'dr-lee', roles: ['clinician'] } });
    assert.equal(await exportPhi('a.pdf', 's3://hipaa_zone/r'), 'a.pdf->s3://hipaa_zone/r');
    const err = await exportPhi('a.pdf', 's3://public_dump').then(
      () => assert.fail('should be blocked'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof PolicyViolation);
    assert.equal(err.ruleId, 'HIPAA-SC-12');
    assert.equal(ran, 1);
    const res = await fetch(`${svc.url}/v1/incidents/${err.incidentId}`, { headers: { authorization: `Bearer ${svc.adminKey}` } });
    assert.equal(res.status, 200, 'the incident lives in the service');
  });

  it('makes a sync function async when it asks the service (the types say so too)', async () => {
    const f = guard((dest: string) => dest.length, { remote, action: 'noop_read' });
    const r = f('s3://x');
    assert.ok(r instanceof Promise);
    assert.equal(await r, 6);
  });

  it('while the service is down: fail-closed refuses, fail-open proceeds; the breaker opens, then recovers', async () => {
    const port = new URL(svc.url).port;
    await svc.stop('SIGKILL');
    let ran = 0;
    const closed = guard(async function list_reports() {
      ran++;
    }, { remote, failMode: 'closed' });
    const open = guard(async function list_reports() {
      ran++;
      return 'ok';
    }, { remote, failMode: 'open' });

    await assert.rejects(closed(), (e: unknown) => e instanceof PolicyViolation && e.ruleId === UNAVAILABLE_RULE_ID && /fail-closed/.test(e.reason));
    assert.equal(await open(), 'ok');
    assert.equal(ran, 1, 'only the fail-open call ran');
    for (let i = 0; i < 3; i++) await open();
    assert.equal(remote.breakerState, 'open', 'consecutive failures opened the breaker');
    const before = remote.fallbacks;
    await assert.rejects(closed());
    assert.equal(remote.fallbacks, before + 1, 'an open breaker answers without waiting for the network');

    svc = await startServiceProcess({ home: tmp.dir, port: Number(port), env: { ESQ_ENV: 'prod' }, adminKey: svc.adminKey });
    await new Promise((r) => setTimeout(r, 400)); // past halfOpenAfter
    let recovered = false;
    for (let i = 0; i < 10 && !recovered; i++) {
      const f = remote.fallbacks;
      await closed().catch(() => undefined);
      recovered = remote.fallbacks === f;
      if (!recovered) await new Promise((r) => setTimeout(r, 350));
    }
    assert.ok(recovered, 'a half-open probe reached the restarted service');
    assert.equal(remote.breakerState, 'closed');
  });
});
