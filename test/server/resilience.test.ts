/**
 * Crash recovery and hot reload under load, over real loopback sockets (bounded in count and time).
 */
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Pool } from 'undici';
import { BUILTIN_PACKS_DIR } from '../../src/policy/pack-files.js';
import { startService } from '../../src/server/service.js';
import { tempHome } from '../helpers.js';
import { startServiceProcess } from '../service-process.js';

const tmp = tempHome('esq-resil-');
after(tmp.cleanup);

interface Ack {
  seq: number;
  name: string;
  effect: string;
}

/** Fires decisions from `workers` concurrent loops until `stop()` or `max` requests. */
function load(url: string, key: string, workers: number, max: number) {
  const pool = new Pool(url, { connections: workers });
  const acks: Ack[] = [];
  let failures = 0;
  let sent = 0;
  let running = true;
  const names = ['export_phi', 'list_reports', 'delete_phi', 'send_mail'];
  const loops = Array.from({ length: workers }, async (_, w) => {
    while (running && sent < max) {
      const name = names[sent++ % names.length]!;
      const body = JSON.stringify({ name, dest: w % 2 ? 's3://public_dump' : 's3://hipaa_zone/x', principal: { id: `w${w}` } });
      try {
        const r = await pool.request({ path: '/v1/decide', method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body });
        const text = await r.body.text();
        if (r.statusCode === 200 || r.statusCode === 202) {
          const d = JSON.parse(text) as { auditSeq: number; effect: string };
          acks.push({ seq: d.auditSeq, name, effect: d.effect });
        } else failures++;
      } catch {
        failures++;
      }
    }
  });
  return {
    acks,
    failures: () => failures,
    stop: async () => {
      running = false;
      await Promise.all(loops);
      await pool.destroy();
    },
  };
}

describe('crash recovery', () => {
  it('after SIGKILL under load, every acknowledged decision is in the audit log and the chain verifies', async () => {
    const home = join(tmp.dir, 'crash');
    const first = await startServiceProcess({ home });
    const l = load(first.url, first.adminKey, 8, 4000);
    // Kill mid-load: once a few hundred decisions are acknowledged (bounded by time on a slow machine).
    const until = Date.now() + 8000;
    while (l.acks.length < 300 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    await first.stop('SIGKILL');
    await l.stop();
    assert.ok(l.acks.length >= 20, `enough decisions were acknowledged before the kill (${l.acks.length})`);

    const second = await startServiceProcess({ home, adminKey: first.adminKey });
    try {
      const get = (path: string) => fetch(`${second.url}${path}`, { headers: { authorization: `Bearer ${first.adminKey}` } });
      const records = new Map<number, { action?: string; effect?: string }>();
      for (let from = 1; ; ) {
        const page = (await (await get(`/v1/audit?fromSeq=${from}&limit=5000`)).json()) as { records: Array<{ seq: number; action?: string; effect?: string }>; nextFromSeq?: number };
        page.records.forEach((r) => records.set(r.seq, r));
        if (!page.nextFromSeq) break;
        from = page.nextFromSeq;
      }
      const missing = l.acks.filter((a) => records.get(a.seq)?.action !== a.name || records.get(a.seq)?.effect !== a.effect);
      assert.deepEqual(missing, [], 'acknowledged decisions missing or different after the crash');
      const v = (await (await get('/v1/audit/verify')).json()) as { ok: boolean; checked: number; reason?: string };
      assert.equal(v.ok, true, v.reason);
      assert.ok(v.checked >= l.acks.length);
    } finally {
      await second.stop();
    }
  });
});

describe('hot reload in the running server', () => {
  it('serves every request while the pack is reloaded repeatedly, and keeps serving through a broken change', async () => {
    const packDir = join(tmp.dir, 'pack');
    cpSync(join(BUILTIN_PACKS_DIR, 'hipaa'), packDir, { recursive: true });
    const rulebook = join(packDir, 'va-directive-6502.yaml');
    const original = readFileSync(rulebook, 'utf8');
    const svc = await startService({ home: join(tmp.dir, 'reload'), env: 'prod', pack: packDir, adminKey: 'esq_reload_key_0123456789abcdefghij', watch: true });
    const url = await svc.app.listen({ port: 0, host: '127.0.0.1' });
    const l = load(url, 'esq_reload_key_0123456789abcdefghij', 6, 3000);
    const versions = new Set<string>();
    try {
      for (let i = 0; i < 6; i++) {
        writeFileSync(rulebook, original.replace('anonymous caller in production', `anonymous caller in production (${i})`));
        const r = await svc.policy.reload();
        assert.equal(r.ok, true);
        versions.add(svc.policy.current.version);
        await new Promise((res) => setTimeout(res, 60));
      }
      writeFileSync(rulebook, original.replace('when: env == "prod"', 'when: env == prod'));
      const broken = await svc.policy.reload();
      assert.equal(broken.ok, false);
      assert.equal(svc.policy.status.ok, false);
      await new Promise((res) => setTimeout(res, 100));
    } finally {
      await l.stop();
      await svc.close();
    }
    assert.ok(versions.size >= 6);
    assert.equal(l.failures(), 0, 'no request failed during reloads');
    assert.ok(l.acks.length > 100, `requests were served during the reloads (${l.acks.length})`);
  });
});
