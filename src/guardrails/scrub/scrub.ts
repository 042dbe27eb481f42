/**
 * scrub(): chooses among overlapping findings, then replaces each chosen span with its
 * operator's output. Pure apart from `encrypt`'s random IVs and the token map it fills.
 */
import { InvalidInputError } from '../../errors.js';
import type { Finding } from '../detect/types.js';
import type { ScrubKeys } from './keys.js';
import { parseOperatorSpec } from './registry.js';
import { TokenMap } from './token-map.js';
import { DEFAULT_TENANT, type OperatorSpec } from './types.js';

export interface ScrubOptions {
  /** Operator per entity type; entities not listed get `defaultOperator`. */
  operators?: Readonly<Record<string, OperatorSpec>>;
  /** Default: `replace` (`<ENTITY>`). */
  defaultOperator?: OperatorSpec;
  /** Default: DEFAULT_TENANT. */
  tenant?: string;
  /** Needed when any chosen finding uses `hash` or `encrypt`. */
  keys?: ScrubKeys;
  /** Pass one to keep pseudonyms consistent across calls; otherwise each call starts a new map. */
  tokenMap?: TokenMap;
}

export interface ScrubItem {
  entity: string;
  /** Span of the replacement in the output text, end exclusive. */
  start: number;
  end: number;
  operator: string;
}

export interface ScrubResult {
  text: string;
  /** One per replaced finding, in text order. */
  items: ScrubItem[];
  /** The map `tokenize` used (the caller's, or a new one); undefined when nothing was tokenized and none was given. */
  tokenMap?: TokenMap;
}

const DEFAULT_OPERATOR = parseOperatorSpec('replace');

function checkFinding(f: Finding, i: number, length: number): void {
  if (typeof f.entity !== 'string' || !Number.isFinite(f.score)) throw new InvalidInputError(`finding ${i} needs a string entity and a finite score`);
  const ok = Number.isInteger(f.start) && Number.isInteger(f.end) && f.start >= 0 && f.start <= f.end && f.end <= length;
  if (!ok) throw new InvalidInputError(`finding ${i} (${f.entity}) has span [${f.start}, ${f.end}) outside the text (length ${length})`);
}

/** Total order for overlap resolution: higher score, longer span, earlier start, then names so ties never depend on input order. */
function precedence(a: Finding, b: Finding): number {
  return (
    b.score - a.score ||
    b.end - b.start - (a.end - a.start) ||
    a.start - b.start ||
    (a.entity < b.entity ? -1 : a.entity > b.entity ? 1 : 0) ||
    (a.detector < b.detector ? -1 : a.detector > b.detector ? 1 : 0)
  );
}

/**
 * The findings that survive: in precedence order, each one overlapping none already chosen.
 * Empty spans are ignored. Returned in text order.
 */
export function resolveOverlaps(findings: readonly Finding[]): Finding[] {
  const chosen: Finding[] = []; // sorted by start, pairwise disjoint
  for (const f of [...findings].filter((x) => x.end > x.start).sort(precedence)) {
    // First chosen span starting at or after f.start; only it and its predecessor can overlap f.
    let lo = 0;
    let hi = chosen.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (chosen[mid]!.start < f.start) lo = mid + 1;
      else hi = mid;
    }
    const prev = chosen[lo - 1];
    const next = chosen[lo];
    if ((prev && prev.end > f.start) || (next && next.start < f.end)) continue;
    chosen.splice(lo, 0, f);
  }
  return chosen;
}

export function scrub(text: string, findings: readonly Finding[], options: ScrubOptions = {}): ScrubResult {
  findings.forEach((f, i) => checkFinding(f, i, text.length));
  const tenant = options.tenant ?? DEFAULT_TENANT;
  let tokenMap = options.tokenMap;
  const operators = options.operators ?? {};
  const fallback = options.defaultOperator ?? DEFAULT_OPERATOR;

  const parts: string[] = [];
  const items: ScrubItem[] = [];
  let cursor = 0;
  let outLength = 0;
  for (const f of resolveOverlaps(findings)) {
    const spec = Object.hasOwn(operators, f.entity) ? operators[f.entity]! : fallback;
    if (spec.name === 'tokenize') tokenMap ??= new TokenMap(tenant);
    const replacement = spec.apply(text.slice(f.start, f.end), { entity: f.entity, tenant, keys: options.keys, tokenMap });
    const before = text.slice(cursor, f.start);
    parts.push(before, replacement);
    outLength += before.length;
    items.push({ entity: f.entity, start: outLength, end: outLength + replacement.length, operator: spec.name });
    outLength += replacement.length;
    cursor = f.end;
  }
  parts.push(text.slice(cursor));
  const result: ScrubResult = { text: parts.join(''), items };
  if (tokenMap) result.tokenMap = tokenMap;
  return result;
}
