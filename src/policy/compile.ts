/**
 * compilePack: YAML texts in, an immutable PolicySet out — or a PolicyLoadError listing every
 * problem with file, line and rule id. Pure: reading the files is pack-files.ts's job.
 */
import { createHash } from 'node:crypto';
import type { PolicySet, CompiledRule, RulebookInfo } from '../engine/policy-set.js';
import type { Effect, OnError, RuleMode, Severity, Tier } from '../engine/types.js';
import { PolicyLoadError, type SourceProblem } from '../errors.js';
import { describeSchemaError, pathSegments, validator, type SchemaName } from '../util/schemas.js';
import { makeActivation } from './cel.js';
import { compileCondition, ConditionError } from './condition.js';
import { buildRuleIndex } from './rule-index.js';
import { parseYaml, type YamlSource } from './yaml-source.js';
import { primeGuardrails } from '../guardrails/pipeline.js';
import { compileRisk } from './risk.js';

export interface SourceFile {
  /** Path as shown in errors (relative to where the user pointed us, when possible). */
  path: string;
  text: string;
}

export interface PackSource {
  /** Folder the pack came from, if any. */
  dir?: string;
  /** Name to use when there is no pack.yaml (e.g. the folder's name). */
  fallbackName: string;
  manifest?: SourceFile;
  rulebooks: SourceFile[];
}

interface RawRule {
  id: string;
  description?: string;
  when: string;
  effect: Effect;
  message?: string;
  severity?: Severity;
  mode?: RuleMode;
  onError?: OnError;
}
interface RawRulebook {
  name: string;
  tier: Tier;
  rules: RawRule[];
}
interface RawManifest {
  name: string;
  description?: string;
  defaultEffect?: 'allow' | 'block';
  settings?: Record<string, unknown>;
}

const TIER_ORDER: Record<Tier, number> = { statute: 0, 'executive-order': 1, agency: 2 };

/** Parses and schema-validates one YAML document; problems carry lines. */
export function loadYamlDocument<T>(file: SourceFile, schema: SchemaName, problems: SourceProblem[]): { value: T; src: YamlSource } | undefined {
  const { source, problems: yamlProblems } = parseYaml(file.path, file.text);
  if (!source) {
    problems.push(...yamlProblems);
    return undefined;
  }
  const validate = validator(schema);
  if (!validate(source.value)) {
    for (const e of validate.errors ?? []) {
      const segs = pathSegments(e.instancePath);
      const pos = source.locate(segs);
      const ruleIdx = segs[0] === 'rules' && typeof segs[1] === 'number' ? segs[1] : undefined;
      const ruleId = ruleIdx !== undefined ? (source.value as RawRulebook).rules?.[ruleIdx]?.id : undefined;
      problems.push({ file: file.path, line: pos?.line, column: pos?.column, ruleId: typeof ruleId === 'string' ? ruleId : undefined, message: describeSchemaError(e) });
    }
    return undefined;
  }
  return { value: source.value as T, src: source };
}

export function compilePack(input: PackSource): PolicySet {
  const problems: SourceProblem[] = [];
  let manifest: RawManifest = { name: input.fallbackName };
  let manifestSrc: YamlSource | undefined;
  if (input.manifest) {
    const m = loadYamlDocument<RawManifest>(input.manifest, 'pack', problems);
    if (m) {
      manifest = m.value;
      manifestSrc = m.src;
    }
  }

  const rules: Array<CompiledRule & { order: number }> = [];
  const rulebooks: RulebookInfo[] = [];
  const seenRule = new Map<string, string>();
  const seenBook = new Map<string, string>();
  let order = 0;

  for (const file of input.rulebooks) {
    const loaded = loadYamlDocument<RawRulebook>(file, 'rulebook', problems);
    if (!loaded) continue;
    const { value: book, src } = loaded;
    const prevBook = seenBook.get(book.name);
    if (prevBook) problems.push({ file: file.path, line: src.locate(['name'])?.line, message: `rulebook name "${book.name}" is also used by ${prevBook}` });
    seenBook.set(book.name, file.path);

    book.rules.forEach((raw, i) => {
      const at = src.locate(['rules', i]);
      const prev = seenRule.get(raw.id);
      if (prev) problems.push({ file: file.path, line: at?.line, ruleId: raw.id, message: `duplicate rule id (first defined in ${prev})` });
      seenRule.set(raw.id, `${file.path}:${at?.line ?? '?'}`);
      try {
        const condition = compileCondition(raw.when);
        rules.push({
          id: raw.id,
          rulebook: book.name,
          tier: book.tier,
          description: raw.description ?? '',
          effect: raw.effect,
          message: raw.message ?? raw.description ?? '',
          severity: raw.severity ?? 'medium',
          mode: raw.mode ?? 'enforce',
          onError: raw.onError ?? 'fail-closed',
          condition,
          file: file.path,
          line: at?.line,
          order: order++,
        });
      } catch (err) {
        if (!(err instanceof ConditionError)) throw err;
        const whenAt = src.locate(['rules', i, 'when']);
        const offset = err.offset !== undefined ? ` (at character ${err.offset + 1} of the expression)` : '';
        problems.push({ file: file.path, line: whenAt?.line, column: whenAt?.column, ruleId: raw.id, path: `rules[${i}].when`, message: `CEL: ${err.message}${offset}` });
      }
    });
    rulebooks.push({ name: book.name, tier: book.tier, file: file.path, sha256: sha256(file.text), rules: book.rules.length });
  }

  const risk = compileRisk((manifest.settings as { risk?: Parameters<typeof compileRisk>[0] } | undefined)?.risk, input.manifest?.path ?? 'pack.yaml', manifestSrc, problems);

  if (problems.length > 0) throw new PolicyLoadError(problems);

  // Statutes first, then executive orders, then agency policy; file and rule order within a tier.
  rules.sort((a, b) => TIER_ORDER[a.tier] - TIER_ORDER[b.tier] || a.order - b.order);
  const frozen: CompiledRule[] = rules.map(({ order: _o, ...r }) => Object.freeze(r));

  const ps: PolicySet = Object.freeze({
    name: manifest.name,
    description: manifest.description ?? '',
    version: packVersion(input),
    defaultEffect: manifest.defaultEffect ?? 'allow',
    rules: Object.freeze(frozen),
    rulebooks: Object.freeze(rulebooks),
    index: buildRuleIndex(frozen),
    settings: Object.freeze({ ...(manifest.settings ?? {}) }),
    risk,
    dir: input.dir,
    activation: makeActivation,
    sources: Object.freeze({ ...(input.manifest ? { manifest: input.manifest } : {}), rulebooks: input.rulebooks }),
  });
  try {
    primeGuardrails(ps);
  } catch (err) {
    const at = manifestSrc?.locate(['settings', 'guardrails']);
    throw new PolicyLoadError([{ file: input.manifest?.path ?? 'pack.yaml', line: at?.line, path: 'settings.guardrails', message: (err as Error).message }]);
  }
  return ps;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A content hash over every file: identical packs share a version wherever they are loaded. */
function packVersion(input: PackSource): string {
  const h = createHash('sha256');
  const files = [...(input.manifest ? [input.manifest] : []), ...input.rulebooks].sort((a, b) => (a.path < b.path ? -1 : 1));
  for (const f of files) h.update(f.path.split(/[\\/]/).pop() ?? f.path).update('\0').update(f.text).update('\0');
  return h.digest('hex').slice(0, 16);
}
