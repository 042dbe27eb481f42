import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PolicyLoadError } from '../errors.js';
import { compilePack } from './compile.js';

function problemsOf(files: Record<string, string>) {
  try {
    compilePack({ fallbackName: 't', rulebooks: Object.entries(files).map(([path, text]) => ({ path, text })) });
  } catch (e) {
    assert.ok(e instanceof PolicyLoadError, `expected PolicyLoadError, got ${String(e)}`);
    return e.problems;
  }
  assert.fail('expected the pack to fail to load');
}

describe('compilePack errors name file, line and rule', () => {
  it('reports a CEL type error at the line of its `when`', () => {
    const problems = problemsOf({
      'hipaa.yaml': ['name: hipaa', 'tier: statute', 'rules:', '  - id: OK-1', '    when: action.name == "a"', '    effect: block', '  - id: BAD-2', '    effect: block', '    when: action.dset.startsWith("s3://")', ''].join('\n'),
    });
    assert.equal(problems.length, 1);
    const p = problems[0]!;
    assert.equal(p.file, 'hipaa.yaml');
    assert.equal(p.ruleId, 'BAD-2');
    assert.equal(p.line, 9);
    assert.match(p.message, /CEL: No such key: dset/);
  });

  it('reports schema errors with the rule id and line', () => {
    const problems = problemsOf({
      'a.yaml': ['name: a', 'tier: statute', 'rules:', '  - id: R1', '    when: "true"', '    effect: deny', ''].join('\n'),
    });
    assert.equal(problems.length, 1);
    assert.equal(problems[0]!.ruleId, 'R1');
    assert.equal(problems[0]!.line, 6);
    assert.match(problems[0]!.message, /rules\[0\]\.effect: must be one of allow, block, scrub, defer, warn/);
  });

  it('reports unknown fields (a typo in a key must not be silently ignored)', () => {
    const problems = problemsOf({ 'a.yaml': 'name: a\ntier: statute\nrules:\n  - id: R1\n    when: "true"\n    effect: block\n    sevrity: high\n' });
    assert.match(problems[0]!.message, /unknown field "sevrity"/);
  });

  it('reports YAML syntax errors with a line', () => {
    const problems = problemsOf({ 'a.yaml': 'name: a\ntier: statute\nrules:\n  - id: R1\n   when: [unclosed\n' });
    assert.equal(problems[0]!.file, 'a.yaml');
    assert.ok(problems[0]!.line! >= 4, `line ${problems[0]!.line}`);
    assert.match(problems[0]!.message, /^YAML:/);
  });

  it('reports every problem across files, not only the first', () => {
    const problems = problemsOf({
      'a.yaml': 'name: a\ntier: statute\nrules:\n  - id: R1\n    when: action.nam == "x"\n    effect: block\n',
      'b.yaml': 'name: b\ntier: galaxy\nrules: []\n',
      'c.yaml': 'name: c\ntier: agency\nrules:\n  - id: R1\n    when: "true"\n    effect: warn\n',
    });
    assert.deepEqual(
      problems.map((p) => p.file),
      ['a.yaml', 'b.yaml', 'c.yaml'],
    );
    assert.match(problems[2]!.message, /duplicate rule id \(first defined in a\.yaml:4\)/);
  });

  it('gives the error message file:line and the rule id', () => {
    try {
      compilePack({ fallbackName: 't', rulebooks: [{ path: 'x.yaml', text: 'name: x\ntier: agency\nrules:\n  - id: X-1\n    when: action.name.size()\n    effect: warn\n' }] });
      assert.fail('should not load');
    } catch (e) {
      assert.match((e as Error).message, /x\.yaml:5:\d+: rule X-1: CEL: condition must be a bool expression/);
    }
  });
});

describe('compilePack', () => {
  it('orders rules statute → executive order → agency and hashes content into a version', () => {
    const files = [
      { path: 'agency.yaml', text: 'name: ag\ntier: agency\nrules:\n  - id: A1\n    when: "true"\n    effect: warn\n' },
      { path: 'statute.yaml', text: 'name: st\ntier: statute\nrules:\n  - id: S1\n    when: "true"\n    effect: warn\n' },
      { path: 'eo.yaml', text: 'name: eo\ntier: executive-order\nrules:\n  - id: E1\n    when: "true"\n    effect: warn\n' },
    ];
    const ps = compilePack({ fallbackName: 't', rulebooks: files });
    assert.deepEqual(ps.rules.map((r) => r.id), ['S1', 'E1', 'A1']);
    const again = compilePack({ fallbackName: 't', rulebooks: [...files].reverse() });
    assert.equal(again.version, ps.version, 'version is independent of load order');
    const changed = compilePack({ fallbackName: 't', rulebooks: [{ ...files[0]!, text: files[0]!.text.replace('warn', 'block') }, files[1]!, files[2]!] });
    assert.notEqual(changed.version, ps.version);
  });

  it('applies defaults: severity medium, enforce, fail-closed, defaultEffect allow', () => {
    const ps = compilePack({ fallbackName: 't', rulebooks: [{ path: 'a.yaml', text: 'name: a\ntier: agency\nrules:\n  - id: A1\n    when: "true"\n    effect: warn\n' }] });
    const r = ps.rules[0]!;
    assert.equal(r.severity, 'medium');
    assert.equal(r.mode, 'enforce');
    assert.equal(r.onError, 'fail-closed');
    assert.equal(ps.defaultEffect, 'allow');
    assert.ok(Object.isFrozen(ps) && Object.isFrozen(ps.rules) && Object.isFrozen(r), 'a compiled set is immutable');
  });
});
