/**
 * Guardrails as the decision pipeline uses them: per policy pack, an analyzer (built-in
 * detectors plus the pack's content filters), the threshold and entity list rules see, and the
 * scrub operators — built once per compiled pack and cached with it.
 */
import type { PolicySet } from '../engine/policy-set.js';
import { InvalidInputError } from '../errors.js';
import type { ContentScanner, ContentScrubber } from '../engine/ports.js';
import type { Finding } from '../engine/types.js';
import { Analyzer, DEFAULT_MIN_SCORE } from './detect/analyzer.js';
import { builtinDetectors } from './detect/registry.js';
import type { AnalyzeOptions, Detector } from './detect/types.js';
import { scanContent, forEachStringLeaf } from './scan-content.js';
import { createContentDetectors } from './content/index.js';
import { parseOperatorMap, parseOperatorSpec, scrub, type OperatorSpec, type ScrubKeys } from './scrub/index.js';

export interface GuardrailSettings {
  minScore?: number;
  entities?: string[];
  scrub?: { default?: string; operators?: Record<string, string> };
  content?: Record<string, unknown>;
}

export interface PackGuardrails {
  analyzer: Analyzer;
  analyzeOpts: AnalyzeOptions;
  operators: Record<string, OperatorSpec>;
  defaultOperator: OperatorSpec;
}

export function guardrailSettings(ps: PolicySet): GuardrailSettings {
  return ((ps.settings as { guardrails?: GuardrailSettings }).guardrails ?? {}) as GuardrailSettings;
}

/** Parses and checks a pack's guardrail settings; throws InvalidInputError naming the bad entry. */
export function compileGuardrails(settings: GuardrailSettings): PackGuardrails {
  const detectors: Detector[] = [...builtinDetectors(), ...(settings.content ? createContentDetectors(settings.content) : [])];
  const analyzer = new Analyzer(detectors);
  const known = new Set(analyzer.entities);
  const unknown = [...(settings.entities ?? []), ...Object.keys(settings.scrub?.operators ?? {})].filter((e) => !known.has(e));
  if (unknown.length > 0) throw new InvalidInputError(`unknown entity type${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (known: ${[...known].join(', ')})`);
  const analyzeOpts: AnalyzeOptions = { minScore: settings.minScore ?? DEFAULT_MIN_SCORE };
  if (settings.entities) analyzeOpts.entities = settings.entities;
  return {
    analyzer,
    analyzeOpts,
    operators: parseOperatorMap(settings.scrub?.operators ?? {}),
    defaultOperator: parseOperatorSpec(settings.scrub?.default ?? 'replace'),
  };
}

const cache = new WeakMap<PolicySet, PackGuardrails>();
/** Compiles a pack's guardrails now (at load), so bad settings fail the load, not a request. */
export function primeGuardrails(ps: PolicySet): void {
  cache.set(ps, compileGuardrails(guardrailSettings(ps)));
}
export function guardrailsFor(ps: PolicySet): PackGuardrails {
  let g = cache.get(ps);
  if (!g) {
    g = compileGuardrails(guardrailSettings(ps));
    cache.set(ps, g);
  }
  return g;
}

/** The scanner and scrubber the Governor uses. Keys are loaded lazily: only hash/encrypt need them. */
export function packGuardrails(keys: () => ScrubKeys): ContentScanner & ContentScrubber {
  return {
    scan(content: unknown, ps: PolicySet): Finding[] {
      const g = guardrailsFor(ps);
      return scanContent(content, g.analyzer, g.analyzeOpts);
    },
    scrub(content: unknown, findings: readonly Finding[], ps: PolicySet, tenant: string | undefined): unknown {
      const g = guardrailsFor(ps);
      const needsKeys = findings.some((f) => ['hash', 'encrypt'].includes((g.operators[f.entity] ?? g.defaultOperator).name));
      const opts = { operators: g.operators, defaultOperator: g.defaultOperator, ...(tenant ? { tenant } : {}), ...(needsKeys ? { keys: keys() } : {}) };
      if (typeof content === 'string') return scrub(content, findings, opts).text;
      // JSON content: scrub each string leaf with the findings made for that leaf.
      const byPath = new Map<string, Finding[]>();
      for (const f of findings) byPath.set(f.path ?? '', [...(byPath.get(f.path ?? '') ?? []), f]);
      const copy = structuredClone(content) as Record<string, unknown>;
      const replace = (root: unknown, path: string, value: string): void => {
        const segs = path.match(/[^.[\]]+/g) ?? [];
        let node = root as Record<string, unknown>;
        for (let i = 0; i < segs.length - 1; i++) node = node[segs[i]!] as Record<string, unknown>;
        node[segs[segs.length - 1]!] = value;
      };
      forEachStringLeaf(content, (text, path) => {
        const fs = byPath.get(path);
        if (fs && path) replace(copy, path, scrub(text, fs, opts).text);
      });
      return copy;
    },
  };
}
