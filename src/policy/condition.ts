/**
 * Compiles one rule's `when` expression: parse, enforce limits, rewrite `matches` to RE2,
 * type-check, and derive cheap prefilters used by the rule index.
 */
import { serialize } from '@marcbachmann/cel-js';
import { celEnvironment, MAX_COMPREHENSION_NESTING, re2 } from './cel.js';
import { globToRegexSource } from '../util/glob.js';
import type { CompiledCondition, Prefilter } from '../engine/policy-set.js';


/** A compile problem with its offset inside the expression (0-based). */
export class ConditionError extends Error {
  constructor(
    message: string,
    readonly offset: number | undefined,
  ) {
    super(message);
  }
}

// cel-js AST nodes: {op, args}. Kept loose on purpose: only shapes we recognise are read.
interface Node {
  op: string;
  args: unknown;
  pos?: number;
}
const isNode = (x: unknown): x is Node => typeof x === 'object' && x !== null && 'op' in x;
const COMPREHENSIONS = new Set(['all', 'exists', 'exists_one', 'existsOne', 'map', 'filter']);
const LITERAL_PATTERN_FUNCS = new Map<string, (lit: string) => string>([
  ['matches', (p) => p],
  ['globMatch', globToRegexSource],
]);

function children(n: Node): unknown[] {
  return Array.isArray(n.args) ? n.args : [n.args];
}

function walk(node: unknown, visit: (n: Node, comprehensionDepth: number) => void, depth = 0): void {
  if (Array.isArray(node)) {
    for (const c of node) walk(c, visit, depth);
    return;
  }
  if (!isNode(node)) return;
  visit(node, depth);
  const inner = node.op === 'rcall' && COMPREHENSIONS.has(String(children(node)[0])) ? depth + 1 : depth;
  for (const c of children(node)) walk(c, visit, inner);
}

function literalString(n: unknown): string | undefined {
  return isNode(n) && n.op === 'value' && typeof n.args === 'string' ? n.args : undefined;
}

function isField(n: unknown, root: string, field?: string): boolean {
  if (!isNode(n)) return false;
  if (field === undefined) return n.op === 'id' && n.args === root;
  return n.op === '.' && Array.isArray(n.args) && isField(n.args[0], root) && n.args[1] === field;
}

/** Functions over `findings` that are false for an empty list. */
const FALSE_ON_EMPTY = new Set(['exists', 'exists_one', 'existsOne', 'hasEntity', 'hasEntityAbove']);

/** Reads necessary conditions from `a && b && …` at the top level only (sound under CEL's commutative &&). */
function derivePrefilter(ast: unknown): Prefilter {
  const pre: Prefilter = {};
  const conjuncts: unknown[] = [];
  const collect = (n: unknown): void => {
    if (isNode(n) && n.op === '&&' && Array.isArray(n.args)) n.args.forEach(collect);
    else conjuncts.push(n);
  };
  collect(ast);
  for (const c of conjuncts) {
    if (!isNode(c) || !Array.isArray(c.args)) continue;
    const [l, r] = c.args as unknown[];
    if (c.op === '==') {
      const [field, lit] = literalString(r) !== undefined ? [l, literalString(r)] : [r, literalString(l)];
      if (lit === undefined) continue;
      if (isField(field, 'action', 'name')) pre.actionNames = pre.actionNames ? pre.actionNames.filter((x) => x === lit) : [lit];
      else if (isField(field, 'env')) pre.env = lit;
      else if (isClassification(field)) pre.classifications = pre.classifications ? pre.classifications.filter((x) => x === lit) : [lit];
    } else if (c.op === 'in' && isField(l, 'action', 'name')) {
      const names = literalList(r);
      if (names) pre.actionNames = pre.actionNames ? pre.actionNames.filter((x) => names.includes(x)) : names;
    } else if (c.op === 'rcall' && c.args[0] === 'startsWith' && (isField(c.args[1], 'action', 'dest') || isField(c.args[1], 'action', 'name'))) {
      // Of two prefixes on the same field, the longer one is the stronger condition.
      const key = isField(c.args[1], 'action', 'dest') ? 'destPrefix' : 'namePrefix';
      const arg = Array.isArray(c.args[2]) ? literalString(c.args[2][0]) : undefined;
      if (arg !== undefined && (pre[key] === undefined || arg.length > pre[key].length)) pre[key] = arg;
    } else if (c.op === 'rcall' && c.args[0] === 'hasAnyPrefix' && isField(c.args[1], 'action', 'dest') && pre.destPrefixes === undefined) {
      const list = Array.isArray(c.args[2]) ? literalList(c.args[2][0]) : undefined;
      if (list) pre.destPrefixes = list;
    } else if (c.op === 'rcall' && FALSE_ON_EMPTY.has(String(c.args[0])) && isField(c.args[1], 'findings')) {
      pre.needsFindings = true;
    } else if (c.op === 'in' && isClassification(l)) {
      const lits = literalList(r);
      if (lits) pre.classifications = pre.classifications ? pre.classifications.filter((x) => lits.includes(x)) : lits;
    } else if (c.op === 'in' && literalString(l) !== undefined && isField(r, 'action', 'args')) {
      (pre.argKeys ??= []).push(literalString(l)!);
    }
  }
  return pre;
}

/** `action.data.classification`. */
function isClassification(n: unknown): boolean {
  return isNode(n) && n.op === '.' && Array.isArray(n.args) && isField(n.args[0], 'action', 'data') && n.args[1] === 'classification';
}

/** A list literal of strings, or undefined. */
function literalList(n: unknown): string[] | undefined {
  if (!isNode(n) || n.op !== 'list' || !Array.isArray(n.args)) return undefined;
  const xs = n.args.map(literalString);
  return xs.every((x): x is string => x !== undefined) ? xs : undefined;
}

export function compileCondition(source: string): CompiledCondition {
  const env = celEnvironment();
  let parsed: { ast: unknown };
  try {
    parsed = env.parse(source) as unknown as { ast: unknown };
  } catch (err) {
    throw celError(err);
  }

  let rewritten = false;
  walk(parsed.ast, (n, depth) => {
    if (depth > MAX_COMPREHENSION_NESTING) {
      throw new ConditionError(`comprehensions nested more than ${MAX_COMPREHENSION_NESTING} deep are not allowed`, n.pos);
    }
    if (n.op !== 'rcall' || !Array.isArray(n.args)) return;
    const fn = String(n.args[0]);
    const toPattern = LITERAL_PATTERN_FUNCS.get(fn);
    if (!toPattern) return;
    const lit = Array.isArray(n.args[2]) ? literalString(n.args[2][0]) : undefined;
    if (lit === undefined) throw new ConditionError(`${fn}() takes a string literal pattern (compiled once at load)`, n.pos);
    try {
      re2(toPattern(lit));
    } catch (err) {
      throw new ConditionError(`invalid ${fn}() pattern ${JSON.stringify(lit)}: ${(err as Error).message}`, n.pos);
    }
    if (fn === 'matches') {
      n.args[0] = 're2Matches';
      rewritten = true;
    }
  });

  const check = env.check(source) as { valid: boolean; type?: string; error?: unknown };
  if (!check.valid) throw celError(check.error);
  if (check.type !== 'bool' && check.type !== 'dyn') {
    throw new ConditionError(`condition must be a bool expression, but it is of type ${check.type}`, 0);
  }

  const finalSource = rewritten ? serialize(parsed.ast as never) : source;
  const program = rewritten ? env.parse(finalSource) : (parsed as unknown as (ctx: unknown) => unknown);
  return {
    source,
    evaluate: program as (a: unknown) => unknown,
    prefilter: derivePrefilter(parsed.ast),
  };
}

function celError(err: unknown): ConditionError {
  const e = err as { summary?: string; message?: string; range?: { start: number } };
  const summary = e.summary ?? e.message ?? String(err);
  return new ConditionError(summary.split('\n')[0] ?? summary, e.range?.start);
}
