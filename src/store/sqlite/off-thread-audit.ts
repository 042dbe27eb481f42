/**
 * Audit appends on a worker thread. better-sqlite3 is synchronous: a group commit with
 * `synchronous = FULL` blocks the event loop for its fsync, and requests cannot even be read while
 * it runs, so batches form in lock-step and the loop idles between them. With the write on a worker
 * the next batch is gathered while the previous one is made durable. Acknowledgement semantics are
 * unchanged: the promise settles only after the worker's transaction has committed.
 */
import { Worker } from 'node:worker_threads';
import type { AuditRecord, AuditRecordInput } from '../../audit/chain/record.js';
import type { Checkpoint } from '../../audit/chain/checkpoint.js';
import type { Incident } from '../../engine/types.js';
import { InvalidInputError } from '../../errors.js';

/**
 * Every write the service makes at load goes through the worker: a write on the main connection
 * would wait for the worker's lock in SQLite's busy handler, which sleeps the whole event loop.
 */
export type AuditWriteRequest =
  | { id: number; op: 'appendAudit'; records: readonly AuditRecordInput[]; incidents: readonly Incident[] }
  | { id: number; op: 'putCheckpoint'; checkpoint: Checkpoint };

export type AuditWriteReply = { id: number; result: unknown } | { id: number; error: { message: string; name: string; code?: string } };

/** One message per round of work: the answers, and the size of each commit made for them. */
export interface AuditWriteReport {
  replies: AuditWriteReply[];
  commits: number[];
}

/** An appended record as the worker sends it back: `data` as its canonical JSON text. */
export type WireAuditRecord = Omit<AuditRecord, 'data'> & { dataJson: string };

/** The record again, its `data` parsed only if someone reads it (the service reads just `seq`). */
function fromWire(w: WireAuditRecord): AuditRecord {
  const { dataJson, ...rest } = w;
  let data: Record<string, unknown> | undefined;
  return Object.defineProperty(rest, 'data', {
    enumerable: true,
    get: () => (data ??= JSON.parse(dataJson) as Record<string, unknown>),
  }) as AuditRecord;
}

type Op = AuditWriteRequest extends infer R ? (R extends { op: infer O } ? O : never) : never;

/**
 * The worker entry beside this module. Built, it is plain JS. Run from source (tsx), the worker
 * thread does not inherit tsx's loader hooks, so a small bootstrap registers them first.
 */
function startWorker(workerData: object): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./audit-writer.worker.js', import.meta.url), { workerData });
  const entry = new URL('./audit-writer.worker.ts', import.meta.url).href;
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true, workerData });
}

/** Errors cross the thread boundary as data; callers still get the class they handle (bad input → 4xx). */
function rebuildError(e: { message: string; name: string; code?: string }): Error {
  const err = e.name === 'InvalidInputError' ? new InvalidInputError(e.message) : Object.assign(new Error(e.message), { name: e.name });
  if (e.code) Object.assign(err, { code: e.code });
  return err;
}

export class OffThreadAuditWriter {
  #worker: Worker | undefined;
  #nextId = 1;
  readonly #pending = new Map<number, { resolve: (r: unknown) => void; reject: (e: Error) => void }>();

  constructor(private readonly o: { path: string; busyTimeoutMs?: number; onCommit?: (records: number) => void }) {}

  append(records: readonly AuditRecordInput[], incidents: readonly Incident[]): Promise<AuditRecord[]> {
    return this.#call<WireAuditRecord[]>('appendAudit', { records, incidents }).then((rs) => rs.map(fromWire));
  }

  putCheckpoint(checkpoint: Checkpoint): Promise<void> {
    return this.#call<void>('putCheckpoint', { checkpoint });
  }

  #call<T>(op: Op, args: object): Promise<T> {
    const w = this.#ensure();
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (r: unknown) => void, reject });
      if (this.#pending.size === 1) w.ref(); // a write in flight keeps the process alive until it commits
      w.postMessage({ id, op, ...args });
    });
  }

  #ensure(): Worker {
    if (this.#worker) return this.#worker;
    const w = startWorker({ path: this.o.path, busyTimeoutMs: this.o.busyTimeoutMs });
    // The worker answers everything it merged into one commit in one message.
    w.on('message', ({ replies, commits }: AuditWriteReport) => {
      if (this.o.onCommit) for (const n of commits) this.o.onCommit(n);
      for (const m of replies) {
        const p = this.#pending.get(m.id);
        if (!p) continue;
        this.#pending.delete(m.id);
        if ('error' in m) p.reject(rebuildError(m.error));
        else p.resolve(m.result);
      }
      if (this.#pending.size === 0) w.unref();
    });
    // A dead worker fails what it held (the callers' requests get errors, never false acks); the next append starts a new one.
    const fail = (e: Error) => {
      if (this.#worker === w) this.#worker = undefined;
      for (const [id, p] of this.#pending) {
        this.#pending.delete(id);
        p.reject(new Error(`audit writer stopped before committing: ${e.message}`));
      }
    };
    w.on('error', fail);
    w.on('exit', (code) => fail(new Error(`worker exited with code ${code}`)));
    // Idle, the worker must not keep the process alive (it is ref'd only while writes are pending).
    w.unref();
    this.#worker = w;
    return w;
  }

  async close(): Promise<void> {
    const w = this.#worker;
    if (!w) return;
    // Messages are handled in order: everything posted before 'close' is committed first.
    const exited = new Promise<void>((r) => w.once('exit', () => r()));
    w.ref();
    w.postMessage('close');
    await exited;
  }
}
