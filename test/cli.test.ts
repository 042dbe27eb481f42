/**
 * The `esq` command as a user runs it: real processes, exit codes, one-line errors.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { tempHome } from './helpers.js';

const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const tmp = tempHome('esq-cli-');
after(tmp.cleanup);

function esq(args: string[], input?: string, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    input,
    cwd: tmp.dir,
    encoding: 'utf8',
    env: { ...process.env, ESQ_HOME: join(tmp.dir, '.esq'), ESQ_ENV: 'prod', NO_COLOR: '1', ...env },
    timeout: 20000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('esq demo', () => {
  it("reproduces the seed's walkthrough: one allow, one block with an incident file holding no raw value", () => {
    const r = esq(['demo']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /✔ {2}Allowed: patient_007\.pdf → hipaa_zone\/reports/);
    assert.match(r.out, /✖ {2}BLOCKED by ESQ: Rule HIPAA-SC-12 violated \(PHI to public bucket\)/);
    const id = /Incident ID: (INC-[0-9A-Z]{26})/.exec(r.out)?.[1];
    assert.ok(id, 'incident id printed');
    const file = join(tmp.dir, '.esq', 'incidents', `${id}.json`);
    assert.ok(existsSync(file));
    const text = readFileSync(file, 'utf8');
    assert.ok(!text.includes('patient_007.pdf') && !text.includes('public_dump'));
    assert.equal(JSON.parse(text).ruleId, 'HIPAA-SC-12');
  });

  it('has a --json form', () => {
    const r = esq(['demo', '--json']);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.equal(j.blocked.ruleId, 'HIPAA-SC-12');
    assert.equal(j.incidentHasRawValues, false);
  });
});

describe('esq decide', () => {
  const decideJson = (action: unknown, extra: string[] = []) => esq(['decide', '--pack', 'hipaa', '--json', ...extra], JSON.stringify(action));

  it('exits 0 for allow, 3 for block, 4 for defer, 0 for warn', () => {
    const allow = decideJson({ name: 'export_phi', dest: 's3://hipaa_zone/r', principal: { id: 'dr', roles: ['clinician'] } });
    assert.equal(allow.code, 0, allow.err);
    assert.equal(JSON.parse(allow.out).effect, 'allow');
    const block = decideJson({ name: 'export_phi', dest: 's3://public_dump', principal: { id: 'dr' } });
    assert.equal(block.code, 3);
    assert.equal(JSON.parse(block.out).ruleId, 'HIPAA-SC-12');
    const defer = decideJson({ name: 'delete_phi', principal: { id: 'dr' } });
    assert.equal(defer.code, 4);
    const warn = decideJson({ name: 'list' });
    assert.equal(warn.code, 0);
    assert.equal(JSON.parse(warn.out).effect, 'warn');
  });

  it('reads the action from a file and decides with findings', () => {
    writeFileSync(join(tmp.dir, 'action.json'), JSON.stringify({ name: 'send', dest: 'https://partner.example/api', principal: { id: 'svc' } }));
    writeFileSync(join(tmp.dir, 'findings.json'), JSON.stringify([{ entity: 'US_SSN', start: 0, end: 11, score: 0.85, detector: 'us-ssn' }]));
    const r = esq(['decide', 'action.json', '--findings', 'findings.json']);
    assert.equal(r.code, 3, r.err);
    assert.match(r.out, /HIPAA-164\.514-SSN-EGRESS/);
  });

  it('takes the environment from the deployment: --env sandbox honours --bypass, prod refuses it', () => {
    const a = JSON.stringify({ name: 'export_phi', dest: 's3://public_dump' });
    assert.equal(esq(['decide', '--env', 'sandbox', '--bypass'], a).code, 0);
    const prod = esq(['decide', '--bypass', '--json'], a);
    assert.equal(prod.code, 3);
    assert.equal(JSON.parse(prod.out).ruleId, 'ESQ-BYPASS');
  });

  const badInputs: Array<[string, string[], string | undefined, RegExp]> = [
    ['malformed JSON', ['decide'], '{"name": ', /action is not valid JSON/],
    ['an action missing its name', ['decide'], '{"dest": "x"}', /invalid action: .*missing required field "name"/],
    ['a field of the wrong type', ['decide'], '{"name": "x", "data": {"tags": "phi"}}', /data\.tags: must be array/],
    ['an unknown pack', ['decide', '--pack', 'nosuchpack'], '{"name":"x"}', /unknown policy pack "nosuchpack"/],
    ['an unknown environment', ['decide', '--env', 'production'], '{"name":"x"}', /--env="production" is not a deployment environment/],
    ['a missing file', ['decide', 'nope.json'], undefined, /cannot read nope\.json: ENOENT/],
    ['an unknown option', ['decide', '--frobnicate'], '{}', /unknown option/],
  ];
  for (const [what, args, input, message] of badInputs) {
    it(`answers ${what} with exit 2 and one clear line, no stack trace`, () => {
      const r = esq(args, input);
      assert.equal(r.code, 2, `${r.out}${r.err}`);
      assert.match(r.err, message);
      assert.ok(!/\n\s+at /.test(r.err), `no stack trace: ${r.err}`);
    });
  }
});

describe('esq validate', () => {
  it('accepts the built-in pack', () => {
    const r = esq(['validate', 'hipaa', '--json']);
    assert.equal(r.code, 0, r.err);
    assert.ok(JSON.parse(r.out).rules >= 10);
  });

  it('names file, line and rule of a broken rulebook and exits 2', () => {
    const dir = join(tmp.dir, 'broken-pack');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'a.yaml'), 'name: a\ntier: statute\nrules:\n  - id: GOOD\n    when: "true"\n    effect: warn\n  - id: TYPO-1\n    when: action.destination == "x"\n    effect: block\n');
    const r = esq(['validate', 'broken-pack']);
    assert.equal(r.code, 2);
    assert.match(r.err, /broken-pack\/a\.yaml:8:\d+: rule TYPO-1: CEL: No such key: destination/);
  });
});

describe('esq test', () => {
  it('runs the pack tests with a coverage line', () => {
    const r = esq(['test', 'hipaa']);
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /\d+ passed, 0 failed/);
    assert.match(r.out, /coverage: 13\/13 rules \(100%\)/);
  });

  it('reports failing tests with file:line and names rules no test exercises', () => {
    const dir = join(tmp.dir, 'mypack');
    mkdirSync(join(dir, 'tests'), { recursive: true });
    writeFileSync(join(dir, 'pack.yaml'), 'name: mypack\n');
    writeFileSync(join(dir, 'rules.yaml'), 'name: r\ntier: agency\nrules:\n  - id: A\n    when: action.name == "a"\n    effect: block\n  - id: B\n    when: action.name == "b"\n    effect: warn\n  - id: C\n    when: action.name == "c"\n    effect: defer\n');
    writeFileSync(
      join(dir, 'tests', 'r_test.yaml'),
      'tests:\n  - name: a is blocked\n    action: { name: a }\n    expect: { effect: block, rules: [A] }\n  - name: b wrongly expected to block\n    action: { name: b }\n    expect: { effect: block }\n',
    );
    const r = esq(['test', 'mypack']);
    assert.equal(r.code, 1, r.out + r.err);
    assert.match(r.out, /✖ b wrongly expected to block .*r_test\.yaml:5/);
    assert.match(r.out, /effect: expected block, got warn/);
    assert.match(r.out, /1 passed, 1 failed/);
    assert.match(r.out, /coverage: 2\/3 rules \(66\.7%\); not exercised: C/);
    const j = esq(['test', 'mypack', '--json']);
    assert.deepEqual(JSON.parse(j.out).coverage.unexercised, ['C']);
  });

  it('rejects a test file with an invalid action, naming the line', () => {
    const dir = join(tmp.dir, 'badtests');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'pack.yaml'), 'name: badtests\n');
    writeFileSync(join(dir, 'rules.yaml'), 'name: r\ntier: agency\nrules: []\n');
    writeFileSync(join(dir, 'x_test.yaml'), 'tests:\n  - name: t\n    action: { dest: nowhere }\n    expect: { effect: allow }\n');
    const r = esq(['test', 'badtests']);
    assert.equal(r.code, 2);
    assert.match(r.err, /x_test\.yaml:3: test "t": action \(top level\): missing required field "name"/);
  });
});

describe('--help', () => {
  for (const cmd of [[], ['demo'], ['decide'], ['test'], ['validate'], ['packs']]) {
    it(`works for esq ${cmd.join(' ') || '(root)'}`, () => {
      const r = esq([...cmd, '--help']);
      assert.equal(r.code, 0);
      assert.match(r.out, /Usage: esq/);
    });
  }
  it('lists the built-in packs', () => {
    const r = esq(['packs', '--json']);
    assert.equal(r.code, 0);
    assert.ok(JSON.parse(r.out).some((p: { name: string }) => p.name === 'hipaa'));
  });
});

describe('output into a closed pipe', () => {
  it('ends quietly when the reader goes away (esq … | head)', async () => {
    // 2 MB of scrubbed text: far more than a pipe holds, so writes continue after the reader has gone.
    const input = 'Call Jane at 212-555-0187 today\n'.repeat(64_000);
    const child = spawn(process.execPath, [CLI, 'scrub'], { cwd: tmp.dir, env: { ...process.env, ESQ_HOME: join(tmp.dir, '.esq'), NO_COLOR: '1' } });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.stdin.on('error', () => undefined); // the child stops reading once its output is gone
    child.stdin.end(input);
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.once('close', (c) => resolve(c)));
    assert.equal(code, 0, err);
    assert.doesNotMatch(err, /EPIPE|Unhandled/);
  });
});
