/**
 * The CEL dialect of ESQ rulebooks: typed variables (`action`, `findings`, `env`, `now`), the few
 * domain functions rules need, and evaluation limits.
 *
 * Engine: @marcbachmann/cel-js — ~0.3 µs per evaluation and a type checker that rejects a
 * misspelt field at load. Its built-in `matches()` uses JavaScript's backtracking RegExp, so
 * every `matches` call is rewritten at compile time to `re2Matches`, backed by RE2 (linear time),
 * and patterns must be string literals compiled once at load.
 */
import { Environment, serialize } from '@marcbachmann/cel-js';
import RE2 from 're2';
import type { Action, Finding } from '../engine/types.js';
import { globToRegexSource } from '../util/glob.js';

/** Parse-time structural limits: CEL has no loops, so bounded ASTs and inputs bound evaluation. */
export const CEL_LIMITS = {
  maxAstNodes: 1000,
  maxDepth: 40,
  maxListElements: 500,
  maxMapEntries: 200,
  maxCallArguments: 16,
} as const;
/** Nested comprehensions (`all`, `exists`, `map`, `filter`…) beyond this are refused: cost grows as size^depth. */
export const MAX_COMPREHENSION_NESTING = 2;

// ---- Value classes: the typed shape rules see. Built once per decision, not per rule. ----

class CelPrincipal {
  id: string;
  roles: string[];
  service: string;
  constructor(p: Action['principal']) {
    this.id = p?.id ?? '';
    this.roles = p?.roles ?? [];
    this.service = p?.service ?? '';
  }
}

class CelData {
  classification: string;
  tags: string[];
  constructor(d: Action['data']) {
    this.classification = d?.classification ?? '';
    this.tags = d?.tags ?? [];
  }
}

const toInt = (n: number | undefined): bigint => (typeof n === 'number' && Number.isFinite(n) ? BigInt(Math.trunc(n)) : 0n);

class CelCost {
  model: string;
  inputTokens: bigint;
  maxOutputTokens: bigint;
  estimateMicros: bigint;
  constructor(c: Action['cost']) {
    this.model = c?.model ?? '';
    this.inputTokens = toInt(c?.inputTokens);
    this.maxOutputTokens = toInt(c?.maxOutputTokens);
    this.estimateMicros = toInt(c?.estimateMicros);
  }
}

/**
 * Absent strings read as "" and absent lists as [] so rules need no `has()` guards; a rule that
 * must distinguish "absent" from "empty" can test `action.dest == ""`.
 */
class CelAction {
  name: string;
  dest: string;
  tenant: string;
  approvalId: string;
  args: Record<string, unknown>;
  content: unknown;
  principal: CelPrincipal;
  data: CelData;
  cost: CelCost;
  constructor(a: Action) {
    this.name = a.name;
    this.dest = a.dest ?? '';
    this.tenant = a.tenant ?? '';
    this.approvalId = a.approvalId ?? '';
    this.args = a.args ?? {};
    this.content = a.content ?? null;
    this.principal = new CelPrincipal(a.principal);
    this.data = new CelData(a.data);
    this.cost = new CelCost(a.cost);
  }
}

class CelFinding {
  entity: string;
  start: bigint;
  end: bigint;
  score: number;
  detector: string;
  constructor(f: Finding) {
    this.entity = f.entity;
    this.start = BigInt(f.start);
    this.end = BigInt(f.end);
    this.score = f.score;
    this.detector = f.detector;
  }
}

/** The activation (variables) for one decision. */
export interface CelActivation {
  action: CelAction;
  findings: CelFinding[];
  env: string;
  now: Date;
}

export function makeActivation(action: Action, findings: readonly Finding[], env: string, now: Date): CelActivation {
  return { action: new CelAction(action), findings: findings.map((f) => new CelFinding(f)), env, now };
}

// ---- Domain functions ----

const MEMO_ENTRIES_MAX = 1024;
/** Caches here are keyed by text an action may supply (dynamic patterns), so each is bounded: a full one starts over. */
function remember<K, V>(m: Map<K, V>, k: K, v: V): V {
  if (m.size >= MEMO_ENTRIES_MAX) m.clear();
  m.set(k, v);
  return v;
}

const re2Cache = new Map<string, RE2>();
/** Compile (and cache) a pattern with RE2. Throws on syntax RE2 does not accept. */
export function re2(pattern: string): RE2 {
  return re2Cache.get(pattern) ?? remember(re2Cache, pattern, new RE2(pattern, 'u'));
}

/**
 * Remembered results per pattern for short subjects. Conditions match action names, destinations
 * and roles, which repeat from call to call, and a call into RE2 costs microseconds while a map
 * lookup costs tens of nanoseconds. Bounded: a full memo starts over.
 */
const MEMO_SUBJECT_MAX = 256;
const re2Memo = new Map<string, Map<string, boolean>>();
export function re2Test(pattern: string, subject: string): boolean {
  if (subject.length > MEMO_SUBJECT_MAX) return re2(pattern).test(subject);
  const memo = re2Memo.get(pattern) ?? remember(re2Memo, pattern, new Map<string, boolean>());
  return memo.get(subject) ?? remember(memo, subject, re2(pattern).test(subject));
}

const globSources = new Map<string, string>();
function globSource(glob: string): string {
  return globSources.get(glob) ?? remember(globSources, glob, globToRegexSource(glob));
}

function createEnvironment(): Environment {
  return (
    new Environment({ limits: CEL_LIMITS, homogeneousAggregateLiterals: false })
      .registerType('Principal', { ctor: CelPrincipal, fields: { id: 'string', roles: 'list<string>', service: 'string' } })
      .registerType('Data', { ctor: CelData, fields: { classification: 'string', tags: 'list<string>' } })
      .registerType('Cost', {
        ctor: CelCost,
        fields: { model: 'string', inputTokens: 'int', maxOutputTokens: 'int', estimateMicros: 'int' },
      })
      .registerType('Action', {
        ctor: CelAction,
        fields: {
          name: 'string',
          dest: 'string',
          tenant: 'string',
          approvalId: 'string',
          args: 'map<string, dyn>',
          content: 'dyn',
          principal: 'Principal',
          data: 'Data',
          cost: 'Cost',
        },
      })
      .registerType('Finding', {
        ctor: CelFinding,
        fields: { entity: 'string', start: 'int', end: 'int', score: 'double', detector: 'string' },
      })
      .registerVariable('action', 'Action', { description: 'The action being decided' })
      .registerVariable('findings', 'list<Finding>', { description: 'Guardrail findings for the action content' })
      .registerVariable('env', 'string', { description: 'Deployment environment: sandbox, dev, stage or prod' })
      .registerVariable('now', 'google.protobuf.Timestamp', { description: 'Decision time (injected clock)' })
      .registerFunction('string.re2Matches(string): bool', (s: string, pattern: string) => re2Test(pattern, s), {
        description: 'RE2 regular expression match (what `matches` compiles to)',
      })
      .registerFunction('string.globMatch(string): bool', (s: string, glob: string) => re2Test(globSource(glob), s), {
        description: 'Glob match: * within a segment, ** across segments, ? one character',
      })
      .registerFunction(
        'string.hasAnyPrefix(list<string>): bool',
        (s: string, prefixes: string[]) => prefixes.some((p) => s.startsWith(p)),
        { description: 'True when the string starts with any of the prefixes' },
      )
      .registerFunction(
        'list<string>.hasAny(list<string>): bool',
        (xs: string[], ys: string[]) => xs.some((x) => ys.includes(x)),
        { description: 'True when the two lists share at least one element' },
      )
      .registerFunction(
        'list<Finding>.hasEntity(string): bool',
        (fs: CelFinding[], entity: string) => fs.some((f) => f.entity === entity),
        { description: 'True when any finding is of the given entity type' },
      )
      .registerFunction(
        'list<Finding>.hasEntityAbove(string, double): bool',
        (fs: CelFinding[], entity: string, min: number) => fs.some((f) => f.entity === entity && f.score >= min),
        { description: 'True when a finding of the entity has at least the given score' },
      )
  );
}

let sharedEnv: Environment | undefined;
/** One environment for all rules: registration is costly, evaluation is not. */
export function celEnvironment(): Environment {
  sharedEnv ??= createEnvironment();
  return sharedEnv;
}
