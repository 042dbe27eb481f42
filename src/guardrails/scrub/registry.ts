/**
 * The built-in operators by name, and the parsers that turn written specs (`mask:4`,
 * `US_SSN=mask:4`) into ready-to-apply OperatorSpecs. Specs are parsed when a policy or command
 * line loads, so a bad parameter fails there and not on some later request.
 */
import { InvalidInputError } from '../../errors.js';
import { encrypt } from './operators/encrypt.js';
import { hash } from './operators/hash.js';
import { mask } from './operators/mask.js';
import { redact } from './operators/redact.js';
import { replace } from './operators/replace.js';
import { tokenize } from './operators/tokenize.js';
import { checkEntityName, type Operator, type OperatorSpec } from './types.js';

// The registry hands each operator only the params its own parseParams made.
const OPERATORS: ReadonlyMap<string, Operator<unknown>> = new Map(
  ([redact, replace, mask, hash, encrypt, tokenize] as Operator<unknown>[]).map((op) => [op.name, op]),
);

export const OPERATOR_NAMES: readonly string[] = [...OPERATORS.keys()];

export function getOperator(name: string): Operator<unknown> {
  const op = OPERATORS.get(name);
  if (!op) throw new InvalidInputError(`unknown scrub operator "${name}" (known: ${OPERATOR_NAMES.join(', ')})`);
  return op;
}

/** `name` or `name:params`; everything after the first colon is the operator's to read. */
export function parseOperatorSpec(source: string): OperatorSpec {
  if (typeof source !== 'string') throw new InvalidInputError(`scrub operator must be a string like "mask:4" (got ${typeof source})`);
  const text = source.trim();
  const colon = text.indexOf(':');
  const name = colon < 0 ? text : text.slice(0, colon);
  const op = getOperator(name);
  const params = op.parseParams(colon < 0 ? undefined : text.slice(colon + 1));
  return { name, source: text, apply: (value, ctx) => op.apply(value, params, ctx) };
}

/** `ENTITY=spec`, as given on a command line (`US_SSN=mask:4`). */
export function parseOperatorAssignment(arg: string): [entity: string, spec: OperatorSpec] {
  const eq = arg.indexOf('=');
  if (eq <= 0) throw new InvalidInputError(`"${arg}" is not ENTITY=OPERATOR (e.g. US_SSN=mask:4)`);
  const entity = arg.slice(0, eq).trim();
  checkEntityName(entity);
  return [entity, parseOperatorSpec(arg.slice(eq + 1))];
}

/** Several `ENTITY=spec` arguments; an entity given twice is an error rather than a silent override. */
export function parseOperatorAssignments(args: readonly string[]): Record<string, OperatorSpec> {
  const out: Record<string, OperatorSpec> = {};
  for (const arg of args) {
    const [entity, spec] = parseOperatorAssignment(arg);
    if (Object.hasOwn(out, entity)) throw new InvalidInputError(`operator for ${entity} given twice ("${out[entity]!.source}" and "${spec.source}")`);
    out[entity] = spec;
  }
  return out;
}

/** An `{ENTITY: spec}` object, as written in a policy pack's YAML. */
export function parseOperatorMap(map: Readonly<Record<string, string>>): Record<string, OperatorSpec> {
  const out: Record<string, OperatorSpec> = {};
  for (const [entity, source] of Object.entries(map)) {
    checkEntityName(entity);
    try {
      out[entity] = parseOperatorSpec(source);
    } catch (e) {
      if (e instanceof InvalidInputError) throw new InvalidInputError(`operator for ${entity}: ${e.message}`, { cause: e });
      throw e;
    }
  }
  return out;
}
