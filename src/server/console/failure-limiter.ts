/**
 * Slows password guessing: after `max` failed sign-ins from one address within `windowMs`, further
 * attempts from it are refused until the window ends. In memory, per process (like the API key
 * limiter); a success does not reset the count, so one valid account cannot launder guesses.
 */
export class FailureLimiter {
  #seen = new Map<string, { count: number; since: number }>();

  constructor(
    private readonly max = 10,
    private readonly windowMs = 5 * 60_000,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Seconds to wait, when `key` is over its limit. */
  blocked(key: string): number | undefined {
    const f = this.#seen.get(key);
    const now = this.clock();
    if (!f || now - f.since >= this.windowMs || f.count < this.max) return undefined;
    return Math.ceil((f.since + this.windowMs - now) / 1000);
  }

  fail(key: string): void {
    const now = this.clock();
    const f = this.#seen.get(key);
    if (!f || now - f.since >= this.windowMs) this.#seen.set(key, { count: 1, since: now });
    else f.count++;
    if (this.#seen.size > 50_000) this.#seen.clear();
  }
}
