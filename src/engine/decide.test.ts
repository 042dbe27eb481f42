import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { book, FIXED_NOW, packOf } from '../../test/helpers.js';
import { BYPASS_RULE_ID, decide } from './decide.js';
import type { Action, DeploymentEnv } from './types.js';

const prod = { env: 'prod' as DeploymentEnv, now: FIXED_NOW };
const exportTo = (dest: string): Action => ({ name: 'export_phi', dest, data: { classification: 'phi' } });

describe('deny overrides across tiers', () => {
  const ps = packOf([
    book('statute', [{ id: 'S-ALLOW', when: 'action.dest.startsWith("s3://hipaa_zone/")', effect: 'allow' }]),
    book('agency', [{ id: 'A-BLOCK', when: 'action.dest.endsWith("/tmp")', effect: 'block', message: 'no tmp' }]),
    book('executive-order', [{ id: 'E-WARN', when: 'action.data.classification == "phi"', effect: 'warn' }]),
  ]);

  it('an agency block wins over a statute allow: lower tiers may restrict', () => {
    const d = decide(ps, exportTo('s3://hipaa_zone/tmp'), prod);
    assert.equal(d.effect, 'block');
    assert.equal(d.allow, false);
    assert.equal(d.ruleId, 'A-BLOCK');
    assert.equal(d.reason, 'Rule A-BLOCK violated (no tmp)');
    assert.deepEqual(d.matches.map((m) => m.ruleId), ['A-BLOCK', 'E-WARN', 'S-ALLOW'], 'every match is reported, winner first');
  });

  it('an agency allow cannot relax a statute block', () => {
    const ps2 = packOf([
      book('statute', [{ id: 'S-BLOCK', when: '!action.dest.startsWith("s3://hipaa_zone/")', effect: 'block' }]),
      book('agency', [{ id: 'A-ALLOW', when: 'action.principal.roles.exists(r, r == "director")', effect: 'allow' }]),
    ]);
    const d = decide(ps2, { ...exportTo('s3://public'), principal: { id: 'd', roles: ['director'] } }, prod);
    assert.equal(d.effect, 'block');
    assert.equal(d.ruleId, 'S-BLOCK');
  });

  it('follows block > defer > scrub > warn > allow', () => {
    const effects = ['allow', 'warn', 'scrub', 'defer', 'block'] as const;
    for (let top = 0; top < effects.length; top++) {
      const rules = effects.slice(0, top + 1).map((e) => ({ id: `R-${e}`, when: 'true', effect: e }));
      const d = decide(packOf([book('agency', rules.reverse())]), { name: 'x' }, prod);
      assert.equal(d.effect, effects[top], `with rules up to ${effects[top]}`);
    }
  });

  it('falls back to the pack default when nothing matches', () => {
    const d = decide(ps, exportTo('s3://elsewhere'), { ...prod });
    assert.equal(d.effect, 'warn'); // E-WARN matches PHI
    const none = decide(ps, { name: 'noop' }, prod);
    assert.equal(none.effect, 'allow');
    assert.equal(none.defaulted, true);
    const denyByDefault = packOf([book('agency', [{ id: 'OK', when: 'action.name == "read"', effect: 'allow' }])], 'name: strict\ndefaultEffect: block\n');
    assert.equal(decide(denyByDefault, { name: 'write' }, prod).effect, 'block');
    assert.equal(decide(denyByDefault, { name: 'read' }, prod).effect, 'allow');
  });
});

describe('dry-run', () => {
  it('records what a dry-run rule would do and never enforces it', () => {
    const ps = packOf([book('statute', [{ id: 'NEW', when: 'action.dest.startsWith("s3://public")', effect: 'block', mode: 'dry-run' }])]);
    const d = decide(ps, exportTo('s3://public_dump'), prod);
    assert.equal(d.effect, 'allow');
    assert.equal(d.allow, true);
    assert.deepEqual(d.matches, []);
    assert.deepEqual(d.dryRun.map((m) => [m.ruleId, m.effect, m.mode]), [['NEW', 'block', 'dry-run']]);
  });
});

describe('evaluation errors', () => {
  // `action.args.count` errors when the key is absent: a runtime error the type checker cannot see.
  const failing = (onError: string, effect = 'allow') => packOf([book('agency', [{ id: 'CNT', when: 'action.args.count > 3', effect, onError }])]);

  it('fail-closed turns an evaluation error into a block that names the error', () => {
    const d = decide(failing('fail-closed'), { name: 'x', args: {} }, prod);
    assert.equal(d.effect, 'block');
    assert.equal(d.ruleId, 'CNT');
    assert.match(d.matches[0]!.error!, /count/);
    assert.match(d.reason, /evaluation error, fail-closed/);
  });

  it('fail-open skips the rule and reports it', () => {
    const d = decide(failing('fail-open', 'block'), { name: 'x', args: {} }, prod);
    assert.equal(d.effect, 'allow');
    assert.deepEqual(d.failedOpen?.map((m) => m.ruleId), ['CNT']);
  });

  it('evaluates normally when the data is there', () => {
    assert.equal(decide(failing('fail-closed', 'warn'), { name: 'x', args: { count: 5 } }, prod).effect, 'warn');
    assert.equal(decide(failing('fail-closed', 'warn'), { name: 'x', args: { count: 1 } }, prod).effect, 'allow');
  });
});

describe('bypass', () => {
  const ps = packOf([book('statute', [{ id: 'SC-12', when: 'action.dest.startsWith("s3://public")', effect: 'block' }])]);

  it('is honoured only in a sandbox deployment', () => {
    const d = decide(ps, exportTo('s3://public_dump'), { env: 'sandbox', now: FIXED_NOW, bypass: true });
    assert.equal(d.effect, 'allow');
    assert.equal(d.bypassed, true);
    assert.match(d.reason, /Bypassed in sandbox \(without bypass: block by SC-12\)/);
  });

  for (const env of ['dev', 'stage', 'prod'] as const) {
    it(`is itself a violation in ${env}, even for an action that would be allowed`, () => {
      const d = decide(ps, exportTo('s3://hipaa_zone/x'), { env, now: FIXED_NOW, bypass: true });
      assert.equal(d.effect, 'block');
      assert.equal(d.ruleId, BYPASS_RULE_ID);
      assert.equal(d.matches[0]!.severity, 'critical');
    });
  }

  it('cannot be smuggled in through the action: env comes from the deployment only', () => {
    const rules = packOf([book('statute', [{ id: 'PROD-ONLY', when: 'env == "prod" && action.name == "x"', effect: 'block' }])]);
    const sneaky = { name: 'x', args: { env: 'sandbox' }, data: { tags: ['sandbox'] } } as Action;
    assert.equal(decide(rules, sneaky, prod).effect, 'block');
    assert.equal(decide(rules, sneaky, { env: 'dev', now: FIXED_NOW }).effect, 'allow');
  });
});

describe('rule index', () => {
  it('gives exactly the decisions of evaluating every rule (randomised, 2,000 actions)', () => {
    const names = ['export_phi', 'llm.chat', 'delete_phi', 'read', 'write'];
    const rules: Array<Record<string, string>> = [];
    let i = 0;
    for (const n of names) {
      rules.push({ id: `N${i++}`, when: `action.name == "${n}" && action.dest.startsWith("s3://public")`, effect: 'block' });
      rules.push({ id: `N${i++}`, when: `action.name in ["${n}", "other"] && "phi" in action.data.tags`, effect: 'warn' });
      rules.push({ id: `N${i++}`, when: `"${n}" == action.name && env == "prod" && action.tenant == "t1"`, effect: 'defer' });
    }
    rules.push({ id: 'ANY-1', when: 'action.dest.startsWith("ftp://")', effect: 'block' });
    rules.push({ id: 'ANY-2', when: 'action.name == "read" || action.tenant == "t2"', effect: 'scrub' });
    const indexed = packOf([book('agency', rules)]);
    // Reference: the same compiled rules with prefilters stripped and no index (evaluate everything).
    const all = indexed.rules.map((r) => ({ ...r, condition: { ...r.condition, prefilter: {} } }));
    const plain = { ...indexed, rules: all, index: { candidates: () => all } };
    let seed = 7;
    const rnd = <T>(xs: readonly T[]): T => xs[(seed = (seed * 1103515245 + 12345) % 2 ** 31) % xs.length]!;
    let skipped = 0;
    for (let k = 0; k < 2000; k++) {
      const a: Action = {
        name: rnd([...names, 'other', 'unknown']),
        dest: rnd(['s3://public/x', 's3://hipaa_zone/y', 'ftp://z', '']),
        tenant: rnd(['t1', 't2', '']),
        data: { tags: rnd([['phi'], [], ['pii']]) },
      };
      const env = rnd(['prod', 'dev'] as const);
      const d1 = decide(indexed, a, { env, now: FIXED_NOW });
      const d2 = decide(plain, a, { env, now: FIXED_NOW });
      assert.equal(d1.effect, d2.effect);
      assert.deepEqual(d1.matches.map((m) => m.ruleId).sort(), d2.matches.map((m) => m.ruleId).sort());
      skipped += d2.timings.rulesEvaluated - d1.timings.rulesEvaluated;
    }
    assert.ok(skipped > 2000 * 5, `the index should prune most rules (pruned ${skipped})`);
  });
});

describe('decisions', () => {
  it('carry the policy version, the environment and timings', () => {
    const ps = packOf([book('agency', [{ id: 'R', when: 'action.name == "x"', effect: 'warn' }])]);
    const d = decide(ps, { name: 'x' }, prod);
    assert.equal(d.policy.version, ps.version);
    assert.equal(d.env, 'prod');
    assert.equal(d.timings.rulesEvaluated, 1);
    assert.ok(d.timings.evalMicros >= 0);
    assert.equal(decide(ps, { name: 'y' }, prod).timings.rulesEvaluated, 0);
  });

  it('report evaluation time in microseconds', () => {
    // A condition that does real work, so evaluation dominates the loop around it.
    const ps = packOf([book('agency', [{ id: 'R', when: 'action.args.items.all(i, i.startsWith("a")) && action.name == "x"', effect: 'warn' }])]);
    const action = { name: 'x', args: { items: Array.from({ length: 200 }, (_, i) => `a${i}`) } };
    for (let i = 0; i < 200; i++) decide(ps, action, prod); // warm up
    let reported = 0;
    const started = process.hrtime.bigint();
    for (let i = 0; i < 200; i++) reported += decide(ps, action, prod).timings.evalMicros;
    const wallMicros = Number(process.hrtime.bigint() - started) / 1000;
    // Milliseconds passed off as microseconds would be a thousandth of the wall time.
    assert.ok(reported <= wallMicros * 1.01, `reported ${reported} µs in ${wallMicros} µs of wall time`);
    assert.ok(reported >= wallMicros * 0.1, `reported ${reported} µs in ${wallMicros} µs of wall time`);
  });
});
