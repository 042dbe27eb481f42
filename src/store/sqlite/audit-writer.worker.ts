/**
 * Worker thread that owns a second connection to the store's SQLite file and performs audit
 * appends there: the chain hashing and the fsync of each group commit happen off the event loop,
 * so the service keeps parsing and deciding requests while a batch is made durable. Started by
 * `OffThreadAuditWriter`, never imported.
 *
 * Batches that queued up while a commit ran are merged into one transaction: one fsync and one
 * write of each touched page for all of them, instead of one per batch.
 */
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import type { AuditRecord } from '../../audit/chain/record.js';
import type { AuditWriteReply, AuditWriteReport, AuditWriteRequest, WireAuditRecord } from './off-thread-audit.js';
import { SqliteStore } from './sqlite-store.js';

const { path, busyTimeoutMs } = workerData as { path: string; busyTimeoutMs?: number };
let commits: number[] = [];
const store = new SqliteStore({ path, onAuditCommit: (n) => commits.push(n), ...(busyTimeoutMs !== undefined ? { busyTimeoutMs } : {}) });
const port = parentPort!;

type Append = Extract<AuditWriteRequest, { op: 'appendAudit' }>;

function failure(id: number, e: unknown): AuditWriteReply {
  const err = e as { message?: string; code?: string; name?: string };
  return { id, error: { message: err.message ?? String(e), name: err.name ?? 'Error', ...(err.code ? { code: err.code } : {}) } };
}

/** What crosses back: `data` as its canonical text (a string copies cheaply; the caller rarely reads it). */
function toWire(r: AuditRecord, dataJson: string): WireAuditRecord {
  const { data: _d, ...rest } = r;
  return { ...rest, dataJson };
}

function appendOne(m: Append): AuditWriteReply {
  try {
    const { records, dataJson } = store.appendAuditSyncWithText(m.records, m.incidents);
    return { id: m.id, result: records.map((r, i) => toWire(r, dataJson[i]!)) };
  } catch (e) {
    return failure(m.id, e);
  }
}

/** Several appends in one transaction; if that fails, each alone, so one bad batch fails only its own callers. */
function appendMerged(run: Append[]): AuditWriteReply[] {
  if (run.length === 1) return [appendOne(run[0]!)];
  let merged: ReturnType<SqliteStore['appendAuditSyncWithText']>;
  try {
    merged = store.appendAuditSyncWithText(run.flatMap((m) => m.records), run.flatMap((m) => m.incidents));
  } catch {
    return run.map(appendOne);
  }
  let at = 0;
  return run.map((m) => {
    const n = m.records.length;
    const result = merged.records.slice(at, at + n).map((r, i) => toWire(r, merged.dataJson[at + i]!));
    at += n;
    return { id: m.id, result };
  });
}

/**
 * Under load, a commit waits briefly for more batches (PostgreSQL's commit_delay, with the last
 * commit's size standing in for commit_siblings): the fsync and page writes of a commit cost far
 * more than a record does. A lone caller's commits hold one batch and never wait.
 */
const GATHER_AFTER_RECORDS = 4;
const GATHER_STEP_MS = 0.25;
const GATHER_STEPS = 3;
const nap = new Int32Array(new SharedArrayBuffer(4));
let lastCommitRecords = 0;

function drain(into: Array<AuditWriteRequest | 'close'>): number {
  let n = 0;
  for (let next = receiveMessageOnPort(port); next; next = receiveMessageOnPort(port), n++) into.push(next.message as AuditWriteRequest | 'close');
  return n;
}

port.on('message', (first: AuditWriteRequest | 'close') => {
  // Everything already queued behind this message joins it (in order).
  const queue: Array<AuditWriteRequest | 'close'> = [first];
  drain(queue);
  if (lastCommitRecords >= GATHER_AFTER_RECORDS) {
    for (let i = 0; i < GATHER_STEPS && queue.at(-1) !== 'close'; i++) {
      Atomics.wait(nap, 0, 0, GATHER_STEP_MS);
      if (drain(queue) === 0) break; // the stream paused: commit what there is
    }
  }
  lastCommitRecords = queue.reduce((n, m) => n + (m !== 'close' && m.op === 'appendAudit' ? m.records.length : 0), 0);
  const replies: AuditWriteReply[] = [];
  let run: Append[] = [];
  const flushRun = () => {
    if (run.length > 0) replies.push(...appendMerged(run));
    run = [];
  };
  for (const m of queue) {
    if (m !== 'close' && m.op === 'appendAudit') {
      run.push(m);
      continue;
    }
    flushRun();
    if (m === 'close') {
      // Synchronous (better-sqlite3): every reply is posted after its commit, never before.
      if (replies.length > 0) report(replies);
      void store.close().then(() => port.close());
      return;
    }
    try {
      replies.push({ id: m.id, result: store.putCheckpointSync(m.checkpoint) });
    } catch (e) {
      replies.push(failure(m.id, e));
    }
  }
  flushRun();
  report(replies);
});

function report(replies: AuditWriteReply[]): void {
  const r: AuditWriteReport = { replies, commits };
  commits = [];
  port.postMessage(r);
}
