/**
 * Group commit: callers hand in one record each and wait until it is durable; records that
 * arrive while a write is in flight ride together in the next write. Idle, a record is written
 * at once (no timer delay); under load, batches grow by themselves, so throughput rises while
 * every acknowledgement still means "durable".
 */
export interface GroupCommitOptions {
  /** Most records in one write (default 512). */
  maxBatch?: number;
  onBatch?: (size: number) => void;
  /**
   * How long a batch may wait for more records while the queue still grows (default 2 ms). Only
   * useful when the write blocks the event loop (a synchronous store): nothing can join then.
   */
  gatherMs?: number;
  /**
   * Writes handed over before the previous one has committed (default 1). A writer that runs
   * them strictly in order (the SQLite worker thread) can start the next batch the moment the
   * last one commits, instead of waiting for the acknowledgement's round trip to this thread.
   */
  maxInFlight?: number;
}

export class GroupCommitter<T, R> {
  #queue: Array<{ item: T; resolve: (r: R) => void; reject: (e: unknown) => void }> = [];
  #inFlight = 0;
  #draining: Promise<void> | undefined;
  #idle: Array<() => void> = [];
  #closed = false;
  readonly #maxBatch: number;
  readonly #gatherMs: number;
  readonly #maxInFlight: number;

  constructor(
    private readonly write: (batch: T[]) => Promise<R[]>,
    private readonly o: GroupCommitOptions = {},
  ) {
    this.#maxBatch = o.maxBatch ?? 512;
    this.#gatherMs = o.gatherMs ?? 2;
    this.#maxInFlight = Math.max(1, o.maxInFlight ?? 1);
  }

  /** Resolves with the written record once the batch holding it has committed. */
  submit(item: T): Promise<R> {
    if (this.#closed) return Promise.reject(new Error('audit writer is closed'));
    return new Promise<R>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      this.#draining ??= this.#drain();
    });
  }

  get pending(): number {
    return this.#queue.length;
  }

  async #drain(): Promise<void> {
    // Start on a later microtask: `#draining` must hold this promise before the loop can end and
    // clear it (a drain that finished inside submit() would leave a stale, settled promise behind).
    await Promise.resolve();
    while (this.#queue.length > 0) {
      if (this.#inFlight >= this.#maxInFlight) {
        await new Promise<void>((r) => this.#idle.push(r));
        continue;
      }
      // Gather: requests already in flight reach submit() a few event-loop turns later (body
      // parsing, hooks). Wait while the queue is still growing, up to gatherMs.
      const until = performance.now() + this.#gatherMs;
      let seen = -1;
      while (this.#queue.length !== seen && this.#queue.length < this.#maxBatch && performance.now() < until) {
        seen = this.#queue.length;
        await new Promise<void>((r) => setImmediate(r));
      }
      const batch = this.#queue.splice(0, this.#maxBatch);
      this.o.onBatch?.(batch.length);
      this.#inFlight++;
      // Not awaited here: up to maxInFlight writes proceed while the next batch forms.
      const done = this.write(batch.map((b) => b.item)).then(
        (written) => batch.forEach((b, i) => b.resolve(written[i]!)),
        (e: unknown) => batch.forEach((b) => b.reject(e)),
      );
      void done.finally(() => {
        this.#inFlight--;
        for (const wake of this.#idle.splice(0)) wake(); // the drain loop and flush() re-check their condition
      });
      if (this.#maxInFlight === 1) await done; // one at a time: the next batch forms during this write
    }
    this.#draining = undefined;
  }

  /** Waits until everything submitted so far is written. */
  async flush(): Promise<void> {
    while (this.#draining || this.#inFlight > 0) {
      if (this.#draining) await this.#draining;
      else await new Promise<void>((r) => this.#idle.push(r));
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.flush();
  }
}
