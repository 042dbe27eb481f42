import { ControlError } from '../cost/errors.js';

/** A fail-closed rate limit whose store could not answer (the service answers 503). */
export class RateLimitUnavailable extends ControlError {
  readonly ruleId: string;
  constructor(ruleId: string, cause: unknown) {
    super('ESQ_RATE_LIMIT_UNAVAILABLE', `rate-limit store unavailable for rule "${ruleId}" (fail-closed): ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.ruleId = ruleId;
  }
}
