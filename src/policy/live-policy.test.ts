import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { book, FIXED_NOW, tempHome } from '../../test/helpers.js';
import { decide } from '../engine/decide.js';
import type { Effect } from '../engine/types.js';
import { LivePolicy, type ReloadResult } from './live-policy.js';

const tmp = tempHome('esq-reload-');
after(tmp.cleanup);

function packDir(name: string, effect: Effect): string {
  const dir = join(tmp.dir, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'pack.yaml'), `name: ${name}\n`);
  writeRules(dir, effect);
  return dir;
}
function writeRules(dir: string, effect: Effect, when = 'action.dest.startsWith("s3://public")'): void {
  writeFileSync(join(dir, 'rules.yaml'), book('statute', [{ id: 'SC-12', when, effect }], 'main'));
}
const publicExport = { name: 'export_phi', dest: 's3://public_dump' };
const effectNow = (live: LivePolicy) => decide(live.current, publicExport, { env: 'prod', now: FIXED_NOW }).effect;

describe('hot reload', () => {
  it('applies a good change', async () => {
    const dir = packDir('good', 'block');
    const live = LivePolicy.open(dir);
    assert.equal(effectNow(live), 'block');
    const before = live.current.version;
    writeRules(dir, 'warn');
    const r = await live.reload();
    assert.deepEqual(r, { ok: true, version: live.current.version, changed: true });
    assert.notEqual(live.current.version, before);
    assert.equal(effectNow(live), 'warn');
    assert.equal(live.status.ok, true);
  });

  it('rejects a broken change with file, line and rule, and the old rules keep serving', async () => {
    const dir = packDir('broken', 'block');
    const live = LivePolicy.open(dir);
    const good = live.current.version;
    writeRules(dir, 'warn', 'action.dset.startsWith("s3://public")');
    const r = await live.reload();
    assert.equal(r.ok, false);
    assert.equal(live.current.version, good, 'the previous set is still current');
    assert.equal(effectNow(live), 'block', 'and still decides');
    const st = live.status;
    assert.equal(st.ok, false);
    assert.equal(st.failures, 1);
    const p = st.error!.problems[0]!;
    assert.match(p.file, /rules\.yaml$/);
    assert.equal(p.ruleId, 'SC-12');
    assert.equal(p.line, 5);
    assert.match(p.message, /dset/);

    writeRules(dir, 'warn');
    assert.equal((await live.reload()).ok, true);
    assert.equal(live.status.ok, true, 'a fixed file clears the error');
    assert.equal(live.status.error, undefined);
    assert.equal(effectNow(live), 'warn');
  });

  it('notices file changes by itself when watching', async () => {
    const dir = packDir('watched', 'block');
    const live = LivePolicy.open(dir).watch(20);
    after(() => live.close());
    await live.ready();
    const reloaded = new Promise<ReloadResult>((resolve) => live.once('reload', resolve));
    writeRules(dir, 'defer');
    const r = await Promise.race([reloaded, new Promise<never>((_, rej) => setTimeout(() => rej(new Error('no reload within 5 s')), 5000).unref())]);
    assert.equal(r.ok, true);
    assert.equal(effectNow(live), 'defer');
    await live.close();
  });

  it('never shows a decision a half-loaded set: decisions during 40 reloads all succeed and match their version', async () => {
    const dir = packDir('busy', 'block');
    const live = LivePolicy.open(dir);
    const expected = new Map<string, Effect>([[live.current.version, 'block']]);
    let running = true;
    let decisions = 0;
    const errors: unknown[] = [];
    const loop = (async () => {
      while (running) {
        for (let i = 0; i < 50; i++) {
          try {
            const ps = live.current;
            const d = decide(ps, publicExport, { env: 'prod', now: FIXED_NOW });
            const want = expected.get(d.policy.version);
            if (want !== undefined && want !== d.effect) errors.push(`version ${d.policy.version} gave ${d.effect}, expected ${want}`);
            decisions++;
          } catch (e) {
            errors.push(e);
          }
        }
        await new Promise((r) => setImmediate(r));
      }
    })();
    for (let k = 0; k < 40; k++) {
      const effect: Effect = k % 2 === 0 ? 'warn' : 'block';
      writeRules(dir, effect);
      const r = await live.reload();
      assert.equal(r.ok, true);
      expected.set(live.current.version, effect);
    }
    running = false;
    await loop;
    assert.deepEqual(errors, []);
    assert.ok(decisions > 100, `decisions ran during the reloads (${decisions})`);
    assert.equal(live.status.reloads, 40);
  });

  it('coalesces concurrent reload requests', async () => {
    const dir = packDir('coalesce', 'block');
    const live = LivePolicy.open(dir);
    const results = await Promise.all(Array.from({ length: 10 }, () => live.reload()));
    assert.ok(results.every((r) => r.ok));
    await new Promise((r) => setTimeout(r, 50));
    assert.ok(live.status.reloads <= 3, `at most one in flight plus one queued (${live.status.reloads})`);
  });
});
