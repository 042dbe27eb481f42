/**
 * Policy tests (`*_test.yaml`): action in, expected effect and rule ids out — the habit of
 * `opa test` and Cerbos' test suites — plus coverage: which rules no test exercises.
 * Pure: files come in as text, a report goes out.
 */
import { decide } from '../engine/decide.js';
import type { PolicySet } from '../engine/policy-set.js';
import type { Action, DeploymentEnv, Effect, Finding } from '../engine/types.js';
import { PolicyLoadError, type SourceProblem } from '../errors.js';
import { describeSchemaError, validator } from '../util/schemas.js';
import { loadYamlDocument, type SourceFile } from './compile.js';

interface RawCase {
  name: string;
  env?: DeploymentEnv;
  bypass?: boolean;
  now?: string;
  action: Action;
  findings?: Finding[];
  expect: { effect: Effect; rules?: string[]; dryRun?: string[]; risk?: string; approvals?: number };
}
interface RawTestFile {
  suite?: string;
  env?: DeploymentEnv;
  tests: RawCase[];
}

export interface CaseResult {
  file: string;
  line: number | undefined;
  suite: string;
  name: string;
  pass: boolean;
  /** Why it failed, one line each. Empty when it passed. */
  failures: string[];
  actual: { effect: Effect; rules: string[]; dryRun: string[] };
}

export interface PolicyTestReport {
  pack: { name: string; version: string };
  results: CaseResult[];
  passed: number;
  failed: number;
  coverage: { total: number; exercised: number; percent: number; unexercised: string[] };
}

interface LoadedCase extends RawCase {
  file: string;
  line: number | undefined;
  suite: string;
}

/** Loads and validates test files; every problem (YAML, schema, invalid action) is reported with its line. */
export function loadPolicyTests(files: SourceFile[]): LoadedCase[] {
  const problems: SourceProblem[] = [];
  const cases: LoadedCase[] = [];
  const actionSchema = validator('action');
  for (const file of files) {
    const loaded = loadYamlDocument<RawTestFile>(file, 'policy-test', problems);
    if (!loaded) continue;
    const { value, src } = loaded;
    value.tests.forEach((c, i) => {
      const line = src.locate(['tests', i])?.line;
      if (!actionSchema(c.action)) {
        for (const e of actionSchema.errors ?? []) {
          problems.push({ file: file.path, line: src.locate(['tests', i, 'action'])?.line, message: `test "${c.name}": action ${describeSchemaError(e)}` });
        }
        return;
      }
      const lc: LoadedCase = { ...c, file: file.path, line, suite: value.suite ?? file.path };
      if (c.env === undefined && value.env !== undefined) lc.env = value.env;
      cases.push(lc);
    });
  }
  if (problems.length > 0) throw new PolicyLoadError(problems);
  return cases;
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && [...a].sort().join('\0') === [...b].sort().join('\0');

export function runPolicyTests(ps: PolicySet, files: SourceFile[]): PolicyTestReport {
  const cases = loadPolicyTests(files);
  const exercised = new Set<string>();
  const results = cases.map((c): CaseResult => {
    const d = decide(ps, c.action, {
      env: c.env ?? 'prod',
      now: c.now ? new Date(c.now) : new Date(),
      findings: c.findings ?? [],
      bypass: c.bypass ?? false,
    });
    const rules = d.matches.map((m) => m.ruleId);
    const dryRun = d.dryRun.map((m) => m.ruleId);
    [...rules, ...dryRun].forEach((r) => exercised.add(r));
    const failures: string[] = [];
    if (d.effect !== c.expect.effect) failures.push(`effect: expected ${c.expect.effect}, got ${d.effect} (${d.reason})`);
    if (c.expect.rules && !sameSet(c.expect.rules, rules)) failures.push(`rules: expected [${c.expect.rules.join(', ')}], got [${rules.join(', ')}]`);
    if (c.expect.risk && (d.risk?.class ?? 'low') !== c.expect.risk) failures.push(`risk: expected ${c.expect.risk}, got ${d.risk?.class ?? 'low'}`);
    if (c.expect.approvals !== undefined && (d.risk?.approvals ?? 0) !== c.expect.approvals) failures.push(`approvals: expected ${c.expect.approvals}, got ${d.risk?.approvals ?? 0}`);
    if (c.expect.dryRun && !sameSet(c.expect.dryRun, dryRun)) failures.push(`dry-run rules: expected [${c.expect.dryRun.join(', ')}], got [${dryRun.join(', ')}]`);
    return { file: c.file, line: c.line, suite: c.suite, name: c.name, pass: failures.length === 0, failures, actual: { effect: d.effect, rules, dryRun } };
  });
  const all = ps.rules.map((r) => r.id);
  const hit = all.filter((id) => exercised.has(id)).length;
  return {
    pack: { name: ps.name, version: ps.version },
    results,
    passed: results.filter((r) => r.pass).length,
    failed: results.filter((r) => !r.pass).length,
    coverage: {
      total: all.length,
      exercised: hit,
      percent: all.length === 0 ? 100 : Math.round((hit / all.length) * 1000) / 10,
      unexercised: all.filter((id) => !exercised.has(id)),
    },
  };
}
