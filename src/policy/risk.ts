/**
 * Compiles a pack's risk settings. Default handling (overridable per pack): low → allow,
 * medium → allow and log, high → 1 approval within 24 h, critical → 2 distinct approvals within 72 h.
 */
import type { CompiledRisk, RiskClass, RiskHandling } from '../engine/policy-set.js';
import type { SourceProblem } from '../errors.js';
import { compileCondition, ConditionError } from './condition.js';
import type { YamlSource } from './yaml-source.js';

export const DEFAULT_HANDLING: Record<RiskClass, RiskHandling> = {
  low: { approvals: 0, expiresInSeconds: 0, log: false },
  medium: { approvals: 0, expiresInSeconds: 0, log: true },
  high: { approvals: 1, expiresInSeconds: 24 * 3600, log: true },
  critical: { approvals: 2, expiresInSeconds: 72 * 3600, log: true },
};

export const RISK_ORDER: Record<RiskClass, number> = { low: 0, medium: 1, high: 2, critical: 3 };

interface RawRisk {
  defaults?: Record<string, RiskClass>;
  rules?: Array<{ id: string; when: string; class: RiskClass; description?: string }>;
  handling?: Partial<Record<RiskClass, { approvals?: number; expiresIn?: string; log?: boolean }>>;
}

const UNIT: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };
function seconds(spec: string): number {
  const m = /^(\d+)([smhd])$/.exec(spec)!;
  return Number(m[1]) * UNIT[m[2]!]!;
}

export function compileRisk(raw: RawRisk | undefined, file: string, src: YamlSource | undefined, problems: SourceProblem[]): CompiledRisk {
  const handling = { ...DEFAULT_HANDLING };
  for (const [cls, h] of Object.entries(raw?.handling ?? {}) as Array<[RiskClass, NonNullable<RawRisk['handling']>[RiskClass]]>) {
    const base = handling[cls];
    handling[cls] = { approvals: h?.approvals ?? base.approvals, expiresInSeconds: h?.expiresIn ? seconds(h.expiresIn) : base.expiresInSeconds, log: h?.log ?? base.log };
    if (handling[cls].approvals > 0 && handling[cls].expiresInSeconds === 0) {
      problems.push({ file, line: src?.locate(['settings', 'risk', 'handling', cls])?.line, message: `risk class ${cls} needs approvals but no expiresIn` });
    }
  }
  const rules: Array<CompiledRisk['rules'][number]> = [];
  (raw?.rules ?? []).forEach((r, i) => {
    try {
      rules.push({ id: r.id, cls: r.class, condition: compileCondition(r.when), description: r.description ?? '' });
    } catch (e) {
      if (!(e instanceof ConditionError)) throw e;
      const at = src?.locate(['settings', 'risk', 'rules', i, 'when']);
      problems.push({ file, line: at?.line, column: at?.column, ruleId: r.id, path: `settings.risk.rules[${i}].when`, message: `CEL: ${e.message}` });
    }
  });
  return { defaults: new Map(Object.entries(raw?.defaults ?? {})), rules, handling };
}
