/** Shared test fixtures: inline packs, throwaway ESQ_HOMEs, a fixed clock. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compilePack } from '../src/policy/compile.js';
import type { PolicySet } from '../src/engine/policy-set.js';

/** Compiles rulebooks given as YAML strings (file names are `book0.yaml`, …). */
export function packOf(rulebooks: string[], manifest?: string): PolicySet {
  const src: Parameters<typeof compilePack>[0] = {
    fallbackName: 'test',
    rulebooks: rulebooks.map((text, i) => ({ path: `book${i}.yaml`, text })),
  };
  if (manifest) src.manifest = { path: 'pack.yaml', text: manifest };
  return compilePack(src);
}

/** A one-rule rulebook. */
export function book(tier: string, rules: Array<Record<string, string>>, name = `${tier}-book`): string {
  const lines = [`name: ${name}`, `tier: ${tier}`, 'rules:'];
  for (const r of rules) {
    const [first, ...rest] = Object.entries(r);
    lines.push(`  - ${first![0]}: ${JSON.stringify(first![1])}`);
    for (const [k, v] of rest) lines.push(`    ${k}: ${JSON.stringify(v)}`);
  }
  return `${lines.join('\n')}\n`;
}

export function tempHome(prefix = 'esq-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export const FIXED_NOW = new Date('2026-11-22T14:00:00Z');
