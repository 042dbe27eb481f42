/**
 * Keeps a workload certificate fresh: issues one at start, and a new one `renewBefore` ahead of
 * each expiry. Clock and timer are injected so tests can move time without waiting for it.
 */
import type { WorkloadCredentials } from './ca.js';

export interface RotatorOptions {
  issue: () => Promise<WorkloadCredentials>;
  /** Renew this long before `notAfter`. */
  renewBeforeMs: number;
  clock?: () => Date;
  /** Called with each new certificate (the first one included). */
  onRotate?: (creds: WorkloadCredentials) => void;
  onError?: (e: Error) => void;
  /** Schedules a check; defaults to an unref'd setTimeout. */
  schedule?: (fn: () => void, ms: number) => () => void;
  /** After a failed renewal, retry this soon (default 10 s). */
  retryMs?: number;
}

export class CertRotator {
  readonly #o: RotatorOptions;
  readonly #clock: () => Date;
  #current: WorkloadCredentials | undefined;
  #cancel: (() => void) | undefined;
  #stopped = false;
  #rotations = 0;

  constructor(options: RotatorOptions) {
    this.#o = options;
    this.#clock = options.clock ?? (() => new Date());
  }

  get current(): WorkloadCredentials {
    if (!this.#current) throw new Error('CertRotator.start() has not finished');
    return this.#current;
  }

  /** Certificates issued after the first one. */
  get rotations(): number {
    return this.#rotations;
  }

  /** When the current certificate will be replaced. */
  get renewAt(): Date {
    return new Date(this.current.notAfter.getTime() - this.#o.renewBeforeMs);
  }

  async start(): Promise<WorkloadCredentials> {
    this.#stopped = false;
    this.#current = await this.#o.issue();
    this.#o.onRotate?.(this.#current);
    this.#arm();
    return this.#current;
  }

  /** Renews if the renewal time has come; returns whether it did. */
  async check(): Promise<boolean> {
    if (!this.#current || this.#stopped) return false;
    if (this.#clock().getTime() < this.renewAt.getTime()) {
      this.#arm();
      return false;
    }
    try {
      const next = await this.#o.issue();
      this.#current = next;
      this.#rotations++;
      this.#o.onRotate?.(next);
      this.#arm();
      return true;
    } catch (e) {
      this.#o.onError?.(e as Error);
      this.#arm(this.#o.retryMs ?? 10_000);
      return false;
    }
  }

  stop(): void {
    this.#stopped = true;
    this.#cancel?.();
    this.#cancel = undefined;
  }

  #arm(delayMs?: number): void {
    if (this.#stopped) return;
    this.#cancel?.();
    const ms = delayMs ?? Math.max(0, this.renewAt.getTime() - this.#clock().getTime());
    const schedule =
      this.#o.schedule ??
      ((fn: () => void, wait: number) => {
        // setTimeout caps at ~24.8 days; a certificate never lives that long, but stay safe.
        const t = setTimeout(fn, Math.min(wait, 2 ** 31 - 1));
        t.unref();
        return () => clearTimeout(t);
      });
    this.#cancel = schedule(() => void this.check(), ms);
  }
}
