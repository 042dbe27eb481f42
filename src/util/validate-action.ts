/**
 * Validates untrusted input (CLI file, HTTP body) against the published Action schema.
 */
import { InvalidActionError } from '../errors.js';
import { describeSchemaError, validator } from './schemas.js';
import type { Action } from '../engine/types.js';

export function validateAction(value: unknown): Action {
  const v = validator('action');
  if (!v(value)) throw new InvalidActionError((v.errors ?? []).map(describeSchemaError));
  return value as Action;
}
