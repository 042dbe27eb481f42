/**
 * Input guardrail entry point: findings for an action's `content`, whether text or JSON.
 * For JSON, every string leaf is scanned and its findings carry the leaf's path
 * (`messages[1].content`), with offsets into that string.
 */
import type { Analyzer } from './detect/analyzer.js';
import type { AnalyzeOptions, Finding } from './detect/types.js';

const MAX_LEAVES = 10_000;

export function forEachStringLeaf(value: unknown, visit: (text: string, path: string) => void, path = '', budget = { n: MAX_LEAVES }): void {
  if (budget.n <= 0) return;
  if (typeof value === 'string') {
    budget.n--;
    visit(value, path);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => forEachStringLeaf(v, visit, `${path}[${i}]`, budget));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) forEachStringLeaf(v, visit, path ? `${path}.${k}` : k, budget);
  }
}

export function scanContent(content: unknown, analyzer: Analyzer, opts: AnalyzeOptions = {}): Finding[] {
  if (content === undefined || content === null) return [];
  if (typeof content === 'string') return analyzer.analyze(content, opts);
  const out: Finding[] = [];
  forEachStringLeaf(content, (text, path) => {
    for (const f of analyzer.analyze(text, opts)) out.push({ ...f, path });
  });
  return out;
}
