/**
 * Rule indexing: most rules are about one or a few action names, so a decision evaluates only
 * the rules that can apply to its action instead of the whole pack (the same idea as Cerbos'
 * rule table). Names come from each rule's prefilter (`action.name == "x"` / `in [...]`).
 */
import type { CompiledRule, RuleIndex } from '../engine/policy-set.js';

export function buildRuleIndex(rules: readonly CompiledRule[]): RuleIndex {
  const unscoped: CompiledRule[] = [];
  const names = new Set<string>();
  for (const r of rules) {
    const n = r.condition.prefilter.actionNames;
    if (n) n.forEach((x) => names.add(x));
    else unscoped.push(r);
  }
  // Per name: its scoped rules merged with the unscoped ones, keeping the pack's order.
  const byName = new Map<string, readonly CompiledRule[]>();
  for (const name of names) {
    byName.set(
      name,
      rules.filter((r) => {
        const n = r.condition.prefilter.actionNames;
        return !n || n.includes(name);
      }),
    );
  }
  return {
    candidates: (actionName) => byName.get(actionName) ?? unscoped,
  };
}
