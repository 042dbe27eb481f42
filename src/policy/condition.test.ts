import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeActivation } from './cel.js';
import { compileCondition, ConditionError } from './condition.js';
import { FIXED_NOW } from '../../test/helpers.js';
import type { Action } from '../engine/types.js';
import { prefilterAdmits } from '../engine/decide.js';

const run = (src: string, action: Action, env = 'prod') => compileCondition(src).evaluate(makeActivation(action, [], env, FIXED_NOW));

describe('CEL conditions', () => {
  it('evaluates against the typed action', () => {
    const a: Action = { name: 'export_phi', dest: 's3://public_dump', data: { classification: 'phi', tags: ['phi'] } };
    assert.equal(run('action.dest.startsWith("s3://public") && "phi" in action.data.tags', a), true);
    assert.equal(run('action.dest.startsWith("s3://hipaa")', a), false);
  });

  it('rejects a misspelt field at compile time, naming it', () => {
    assert.throws(() => compileCondition('action.dset == "x"'), (e: unknown) => e instanceof ConditionError && /dset/.test(e.message) && e.offset === 7);
    assert.throws(() => compileCondition('action.principal.rolez.size() > 0'), /rolez/);
  });

  it('rejects unknown variables and functions', () => {
    assert.throws(() => compileCondition('request.dest == "x"'), /request/);
    assert.throws(() => compileCondition('action.name.frobnicate()'), /frobnicate/);
  });

  it('rejects non-boolean conditions', () => {
    assert.throws(() => compileCondition('action.name'), /bool/);
  });

  it('rejects syntax errors with a position', () => {
    assert.throws(() => compileCondition('action.name == '), (e: unknown) => e instanceof ConditionError && e.offset !== undefined);
  });

  it('runs matches() on RE2: a catastrophic-backtracking pattern stays linear', () => {
    // On a backtracking engine this pattern takes exponential time on this input.
    const c = compileCondition('action.name.matches("^(a+)+$")');
    const evil = `${'a'.repeat(5000)}!`;
    assert.equal(c.evaluate(makeActivation({ name: evil }, [], 'prod', FIXED_NOW)), false);
    assert.equal(c.evaluate(makeActivation({ name: 'aaaa' }, [], 'prod', FIXED_NOW)), true);
  });

  it('refuses dynamic regex patterns and patterns RE2 cannot compile', () => {
    assert.throws(() => compileCondition('action.name.matches(action.dest)'), /string literal/);
    assert.throws(() => compileCondition('action.name.matches("(?<=x)y")'), /invalid matches\(\) pattern/);
    assert.throws(() => compileCondition('action.dest.globMatch(action.name)'), /string literal/);
  });

  it('limits comprehension nesting', () => {
    assert.throws(
      () => compileCondition('action.data.tags.all(a, action.data.tags.all(b, action.data.tags.all(c, a == b && b == c)))'),
      /nested more than 2/,
    );
    assert.doesNotThrow(() => compileCondition('action.data.tags.all(a, action.data.tags.exists(b, a == b))'));
  });

  it('limits expression size', () => {
    const huge = Array.from({ length: 600 }, (_, i) => `action.name == "n${i}"`).join(' || ');
    assert.throws(() => compileCondition(huge), /maxAstNodes|Exceeded/);
  });

  it('offers the domain functions', () => {
    const a: Action = { name: 'x', dest: 's3://hipaa_zone/reports/2026/q1.pdf', data: { tags: ['phi', 'ops'] } };
    assert.equal(run('action.dest.globMatch("s3://hipaa_zone/**")', a), true);
    assert.equal(run('action.dest.globMatch("s3://hipaa_zone/*")', a), false);
    assert.equal(run('action.dest.hasAnyPrefix(["gs://", "s3://hipaa_zone/"])', a), true);
    assert.equal(run('action.data.tags.hasAny(["pii", "phi"])', a), true);
    assert.equal(run('action.data.tags.hasAny(["pii"])', a), false);
  });

  it('sees findings, env and now', () => {
    const c = compileCondition('findings.hasEntityAbove("US_SSN", 0.5) && env == "prod" && now.getFullYear("UTC") == 2026');
    const act = (score: number, env: string) =>
      c.evaluate(makeActivation({ name: 'x' }, [{ entity: 'US_SSN', start: 0, end: 11, score, detector: 'us-ssn' }], env, FIXED_NOW));
    assert.equal(act(0.9, 'prod'), true);
    assert.equal(act(0.3, 'prod'), false);
    assert.equal(act(0.9, 'dev'), false);
  });

  it('reads absent fields as empty values so rules need no has() guards', () => {
    assert.equal(run('action.dest == "" && action.data.tags.size() == 0 && action.principal.id == ""', { name: 'x' }), true);
  });
});

describe('prefilters derived from the expression', () => {
  it('reads action names, destination prefixes and env from the top-level && chain', () => {
    assert.deepEqual(compileCondition('action.name == "a" && action.dest.startsWith("s3://p")').prefilter, { actionNames: ['a'], destPrefix: 's3://p' });
    assert.deepEqual(compileCondition('"b" == action.name').prefilter, { actionNames: ['b'] });
    assert.deepEqual(compileCondition('action.name in ["a", "b"] && env == "prod"').prefilter, { actionNames: ['a', 'b'], env: 'prod' });
  });

  it('derives nothing from disjunctions or negations (they are not necessary conditions)', () => {
    assert.deepEqual(compileCondition('action.name == "a" || action.name == "b"').prefilter, {});
    assert.deepEqual(compileCondition('!action.dest.startsWith("s3://p")').prefilter, {});
    assert.deepEqual(compileCondition('action.name in ["a", action.dest]').prefilter, {});
    assert.deepEqual(compileCondition('!findings.exists(f, f.score > 0.1)').prefilter, {});
    assert.deepEqual(compileCondition('findings.all(f, f.score > 0.1)').prefilter, {});
    assert.deepEqual(compileCondition('action.name.startsWith("a") || findings.exists(f, true)').prefilter, {});
  });

  it('reads name prefixes, classifications, destination prefix lists, argument keys and findings', () => {
    assert.deepEqual(compileCondition('action.name.startsWith("llm.") && findings.exists(f, f.score >= 0.5)').prefilter, { namePrefix: 'llm.', needsFindings: true });
    assert.deepEqual(compileCondition('action.data.classification in ["phi", "pii"] && action.dest.hasAnyPrefix(["http://", "ftp://"])').prefilter, { classifications: ['phi', 'pii'], destPrefixes: ['http://', 'ftp://'] });
    assert.deepEqual(compileCondition('"phi" == action.data.classification && "n" in action.args && findings.hasEntity("US_SSN")').prefilter, { classifications: ['phi'], argKeys: ['n'], needsFindings: true });
  });

  it('never skips a rule that would have matched: prefilter false ⇒ condition false (or absorbed error)', () => {
    const sources = [
      'action.name.startsWith("llm.") && findings.exists(f, f.score >= 0.5)',
      'action.data.classification in ["phi", "pii"] && action.dest.hasAnyPrefix(["http://", "ftp://"])',
      '(action.data.classification == "phi" || action.name.matches("phi")) && "recordCount" in action.args && double(action.args.recordCount) > 5.0',
      'double(action.args.recordCount) > 5.0 && "recordCount" in action.args',
      'action.data.classification == "phi" && action.principal.id != ""',
      'findings.hasEntityAbove("US_SSN", 0.5) && action.dest != ""',
    ];
    const actions: Action[] = [
      { name: 'llm.chat' },
      { name: 'export_phi', dest: 'http://x', data: { classification: 'phi' }, args: { recordCount: 10 }, principal: { id: 'p' } },
      { name: 'export', dest: 'ftp://y', data: { classification: 'pii' } },
      { name: 'ingress.request', dest: 'svc', args: { method: 'GET', path: '/' } },
      { name: 'x', args: { recordCount: 1 } },
    ];
    const findingSets = [[], [{ entity: 'US_SSN', start: 0, end: 11, score: 0.85, detector: 'ssn' }]];
    let skipped = 0;
    for (const src of sources) {
      const c = compileCondition(src);
      for (const a of actions) {
        for (const fs of findingSets) {
          if (prefilterAdmits(c.prefilter, a, a.dest ?? '', fs, 'prod')) continue;
          skipped++;
          let v: unknown;
          try {
            v = c.evaluate(makeActivation(a, fs, 'prod', FIXED_NOW));
          } catch {
            v = 'error';
          }
          assert.equal(v, false, `${src} skipped for ${JSON.stringify(a)} with ${fs.length} findings but evaluates to ${String(v)}`);
        }
      }
    }
    assert.ok(skipped > 20, `the prefilters skipped only ${skipped} evaluations`);
  });
});
