/**
 * Group commit: callers hand in one record each and wait until it is durable; records that
 * arrive while a write is in flight ride together in the next write. Idle, a record is written
 * at once (no timer delay); under load, batches grow by themselves, so throughput rises while
 * every acknowledgement still means "durable".
 */
export class GroupCommitter<T, R> {
  #queue: Array<{ item: T; resolve: (r: R) => void; reject: (e: unknown) => void }> = [];
  #writing: Promise<void> | undefined;
  #closed = false;

  constructor(
    private readonly write: (batch: T[]) => Promise<R[]>,
    private readonly maxBatch = 512,
    private readonly onBatch?: (size: number) => void,
    private readonly maxWaitMs = 2,
  ) {}

  /** Resolves with the written record once the batch holding it has committed. */
  submit(item: T): Promise<R> {
    if (this.#closed) return Promise.reject(new Error('audit writer is closed'));
    return new Promise<R>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      if (!this.#writing) this.#writing = this.#drain();
    });
  }

  get pending(): number {
    return this.#queue.length;
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      // Gather: requests already in flight reach submit() a few event-loop turns later (body
      // parsing, hooks). Wait while the queue is still growing, up to maxWaitMs: a synchronous
      // store (SQLite) blocks the loop during its commit, so nothing could join a batch then.
      const until = performance.now() + this.maxWaitMs;
      let seen = -1;
      while (this.#queue.length !== seen && this.#queue.length < this.maxBatch && performance.now() < until) {
        seen = this.#queue.length;
        await new Promise<void>((r) => setImmediate(r));
      }
      const batch = this.#queue.splice(0, this.maxBatch);
      this.onBatch?.(batch.length);
      try {
        const written = await this.write(batch.map((b) => b.item));
        batch.forEach((b, i) => b.resolve(written[i]!));
      } catch (e) {
        batch.forEach((b) => b.reject(e));
      }
    }
    this.#writing = undefined;
  }

  /** Waits until everything submitted so far is written. */
  async flush(): Promise<void> {
    while (this.#writing) await this.#writing;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.flush();
  }
}
