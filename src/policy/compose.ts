/**
 * Composes a domain pack (hipaa, …) with companion packs: built-in packs that govern ESQ's own
 * operations (the envelope's vulnerability quarantine) and so apply whichever domain pack runs.
 * The domain pack stays in charge of everything that is about the deployment: its name, default
 * effect, guardrail/cost/rate settings and risk handling. Companions add rules, rulebooks and
 * risk classes for actions the domain pack does not class itself.
 */
import { createHash } from 'node:crypto';
import type { CompiledRule, PolicySet, RiskClass } from '../engine/policy-set.js';
import { PolicyLoadError, type SourceProblem } from '../errors.js';
import { buildRuleIndex } from './rule-index.js';

const TIER_ORDER: Record<CompiledRule['tier'], number> = { statute: 0, 'executive-order': 1, agency: 2 };

export function composePolicySets(primary: PolicySet, companions: readonly PolicySet[]): PolicySet {
  // A companion that is the primary itself (esq serve --pack envelope) adds nothing.
  const extra = companions.filter((c) => c.name !== primary.name && !(c.dir && c.dir === primary.dir));
  if (extra.length === 0) return primary;

  const problems: SourceProblem[] = [];
  const ruleAt = new Map(primary.rules.map((r) => [r.id, r.file]));
  const bookAt = new Map(primary.rulebooks.map((b) => [b.name, b.file]));
  for (const c of extra) {
    for (const r of c.rules) {
      const prev = ruleAt.get(r.id);
      if (prev) problems.push({ file: r.file, line: r.line, ruleId: r.id, message: `rule id also used by ${prev}; rename one (the built-in ${c.name} pack is composed into every pack)` });
      ruleAt.set(r.id, r.file);
    }
    for (const b of c.rulebooks) {
      const prev = bookAt.get(b.name);
      if (prev) problems.push({ file: b.file, message: `rulebook name "${b.name}" is also used by ${prev}` });
      bookAt.set(b.name, b.file);
    }
  }
  if (problems.length > 0) throw new PolicyLoadError(problems);

  // Statutes first, then executive orders, then agency policy; the primary's rules first within a tier.
  const rules = [primary, ...extra].flatMap((p, pi) => p.rules.map((r, ri) => ({ r, pi, ri })));
  rules.sort((a, b) => TIER_ORDER[a.r.tier] - TIER_ORDER[b.r.tier] || a.pi - b.pi || a.ri - b.ri);
  const frozen = Object.freeze(rules.map((x) => x.r));

  // The primary's own risk classes win over a companion's for the same action name.
  const defaults = new Map<string, RiskClass>();
  for (const p of [...extra].reverse()) for (const [k, v] of p.risk.defaults) defaults.set(k, v);
  for (const [k, v] of primary.risk.defaults) defaults.set(k, v);

  const version = createHash('sha256')
    .update([primary, ...extra].map((p) => `${p.name}@${p.version}`).join('\0'))
    .digest('hex')
    .slice(0, 16);

  return Object.freeze({
    ...primary,
    version,
    rules: frozen,
    rulebooks: Object.freeze([...primary.rulebooks, ...extra.flatMap((p) => p.rulebooks)]),
    index: buildRuleIndex(frozen),
    risk: Object.freeze({ defaults, rules: [...primary.risk.rules, ...extra.flatMap((p) => p.risk.rules)], handling: primary.risk.handling }),
    sources: Object.freeze({
      ...(primary.sources.manifest ? { manifest: primary.sources.manifest } : {}),
      rulebooks: [...primary.sources.rulebooks, ...extra.flatMap((p) => p.sources.rulebooks)],
    }),
  });
}
