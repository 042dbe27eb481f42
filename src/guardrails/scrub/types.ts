/**
 * Scrub contracts. An operator turns one detected value into its replacement (Presidio's
 * anonymizer operator); `scrub()` picks the findings and splices the replacements in.
 */
import { InvalidInputError } from '../../errors.js';
import type { ScrubKeys } from './keys.js';
import type { TokenMap } from './token-map.js';

/** What an operator may use besides the value itself. */
export interface OperatorContext {
  /** Entity type of the finding, e.g. `US_SSN`. */
  readonly entity: string;
  /** Tenant the text belongs to; scopes keys and token maps. */
  readonly tenant: string;
  /** Needed by `hash` and `encrypt`. */
  readonly keys?: ScrubKeys | undefined;
  /** Needed by `tokenize`; `scrub()` supplies one per call when the caller gives none. */
  readonly tokenMap?: TokenMap | undefined;
}

export interface Operator<P = unknown> {
  readonly name: string;
  /** Validates the text after `name:` (undefined when absent); throws InvalidInputError. */
  parseParams(raw: string | undefined): P;
  apply(value: string, params: P, ctx: OperatorContext): string;
}

/** An operator with its parameters already parsed: built once at load, applied per request. */
export interface OperatorSpec {
  readonly name: string;
  /** The spec as written, e.g. `mask:4`, for messages and audit. */
  readonly source: string;
  apply(value: string, ctx: OperatorContext): string;
}

/** Tenant used when the action names none. Texts without a tenant share its keys. */
export const DEFAULT_TENANT = 'default';

/**
 * Entity names appear inside output tokens (`ENC[v1:US_SSN:…]`, `<PERSON_1>`), so they are kept
 * to characters that cannot break those tokens apart.
 */
const ENTITY_NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

export function checkEntityName(entity: string): string {
  if (!ENTITY_NAME.test(entity)) {
    throw new InvalidInputError(`entity name "${entity}" is not usable in a scrub token: use 1-64 letters, digits, "_", "." or "-", starting with a letter`);
  }
  return entity;
}

/** For operators that take no parameters. */
export function noParams(name: string, raw: string | undefined): void {
  if (raw !== undefined) throw new InvalidInputError(`operator "${name}" takes no parameters (got "${name}:${raw}")`);
}
