/**
 * Presidio's own recognizer test cases (MIT, see the JSON's `source`) as a conformance suite.
 * Each case runs the analyzer restricted to one entity, threshold 0 and no context boost — as
 * Presidio's tests run one recognizer alone — and compares the count and, where given, the spans.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Analyzer } from '../../src/guardrails/detect/analyzer.js';
import { packageRoot } from '../../src/util/package-root.js';

interface Case {
  entity: string;
  text: string;
  count: number;
  spans: Array<[number, number]> | null;
}
interface Data {
  core_entities: string[];
  source: string;
  cases: Case[];
}

export interface EntityScore {
  entity: string;
  core: boolean;
  passed: number;
  total: number;
  rate: number;
}
export interface ConformanceReport {
  source: string;
  core: { passed: number; total: number; rate: number };
  all: { passed: number; total: number; rate: number };
  entities: EntityScore[];
  failures: Array<{ entity: string; text: string; expected: unknown; got: Array<[number, number]> }>;
}

export function loadPresidioCases(): Data {
  return JSON.parse(readFileSync(join(packageRoot(), 'test', 'conformance', 'presidio-recognizers.json'), 'utf8')) as Data;
}

export function runPresidioConformance(analyzer: Analyzer): ConformanceReport {
  const data = loadPresidioCases();
  const core = new Set(data.core_entities);
  const per = new Map<string, EntityScore>();
  const failures: ConformanceReport['failures'] = [];
  for (const c of data.cases) {
    const supported = analyzer.entities.includes(c.entity);
    const got = supported ? analyzer.analyze(c.text, { entities: [c.entity], minScore: 0, context: false }).map((f): [number, number] => [f.start, f.end]) : [];
    const ok = supported && got.length === c.count && (c.spans === null || JSON.stringify(got) === JSON.stringify(c.spans));
    const s = per.get(c.entity) ?? { entity: c.entity, core: core.has(c.entity), passed: 0, total: 0, rate: 0 };
    s.total++;
    if (ok) s.passed++;
    else failures.push({ entity: c.entity, text: c.text, expected: c.spans ?? `count ${c.count}`, got });
    per.set(c.entity, s);
  }
  const entities = [...per.values()].map((s) => ({ ...s, rate: Math.round((s.passed / s.total) * 1000) / 1000 })).sort((a, b) => a.entity.localeCompare(b.entity));
  const sum = (xs: EntityScore[]) => {
    const passed = xs.reduce((n, x) => n + x.passed, 0);
    const total = xs.reduce((n, x) => n + x.total, 0);
    return { passed, total, rate: total === 0 ? 0 : Math.round((passed / total) * 1000) / 1000 };
  };
  return { source: data.source, core: sum(entities.filter((e) => e.core)), all: sum(entities), entities, failures };
}
