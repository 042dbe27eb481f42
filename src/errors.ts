/**
 * Typed errors with stable codes (the habit of jose and Fastify). Codes are mapped to HTTP
 * statuses and exit codes only at the edges (server/, cli/), never here.
 */

export type EsqErrorCode =
  | 'ESQ_POLICY_LOAD'
  | 'ESQ_PACK_NOT_FOUND'
  | 'ESQ_INVALID_ACTION'
  | 'ESQ_INVALID_INPUT'
  | 'ESQ_POLICY_VIOLATION'
  | 'ESQ_APPROVAL_REQUIRED'
  | 'ESQ_CONFIG'
  | 'ESQ_BUDGET_EXCEEDED'
  | 'ESQ_BUDGET_UNAVAILABLE'
  | 'ESQ_RATE_LIMIT_UNAVAILABLE';

export class EsqError extends Error {
  readonly code: EsqErrorCode;
  constructor(code: EsqErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** Where a problem sits in a policy source file. Lines and columns are 1-based. */
export interface SourceProblem {
  file: string;
  line?: number;
  column?: number;
  ruleId?: string;
  /** Path inside the YAML document, e.g. `rules[3].when`. */
  path?: string;
  message: string;
}

export function formatProblem(p: SourceProblem): string {
  const where = [p.file, p.line, p.column].filter((x) => x !== undefined).join(':');
  const rule = p.ruleId ? ` rule ${p.ruleId}:` : '';
  const path = p.path ? ` (${p.path})` : '';
  return `${where}:${rule} ${p.message}${path}`;
}

/** A rulebook, pack or policy test could not be loaded. Carries every problem found, not only the first. */
export class PolicyLoadError extends EsqError {
  readonly problems: SourceProblem[];
  constructor(problems: SourceProblem[]) {
    const head = problems.slice(0, 5).map(formatProblem).join('\n  ');
    const more = problems.length > 5 ? `\n  … and ${problems.length - 5} more` : '';
    super('ESQ_POLICY_LOAD', `policy failed to load (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  ${head}${more}`);
    this.problems = problems;
  }
}

export class PackNotFoundError extends EsqError {
  constructor(name: string, searched: string[]) {
    super('ESQ_PACK_NOT_FOUND', `unknown policy pack "${name}" (looked in: ${searched.join(', ')}); pass a built-in pack name or a folder path`);
  }
}

export class InvalidActionError extends EsqError {
  readonly problems: string[];
  constructor(problems: string[]) {
    super('ESQ_INVALID_ACTION', `invalid action: ${problems.join('; ')}`);
    this.problems = problems;
  }
}

export class InvalidInputError extends EsqError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ESQ_INVALID_INPUT', message, options);
  }
}

export class ConfigError extends EsqError {
  constructor(message: string) {
    super('ESQ_CONFIG', message);
  }
}

/**
 * Thrown by a guarded function whose call was refused by policy: the kill switch.
 * The wrapped function never ran.
 */
export class PolicyViolation extends EsqError {
  readonly ruleId: string;
  readonly reason: string;
  readonly incidentId: string | undefined;
  readonly effect: string;
  constructor(init: { ruleId: string; reason: string; incidentId?: string; effect: string }, code: EsqErrorCode = 'ESQ_POLICY_VIOLATION') {
    super(code, init.incidentId ? `${init.reason} [incident ${init.incidentId}]` : init.reason);
    this.ruleId = init.ruleId;
    this.reason = init.reason;
    this.incidentId = init.incidentId;
    this.effect = init.effect;
  }
}

/** A `defer` decision: the call needs human approval before it may run. */
export class ApprovalRequired extends PolicyViolation {
  readonly approvalId: string | undefined;
  constructor(init: { ruleId: string; reason: string; incidentId?: string; approvalId?: string }) {
    super({ ...init, effect: 'defer' }, 'ESQ_APPROVAL_REQUIRED');
    this.approvalId = init.approvalId;
  }
}
