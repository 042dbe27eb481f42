/**
 * Worker thread that owns a second connection to the store's SQLite file and performs audit
 * appends there: the chain hashing and the fsync of each group commit happen off the event loop,
 * so the service keeps parsing and deciding requests while a batch is made durable. Started by
 * `OffThreadAuditWriter`, never imported.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { AuditWriteReply, AuditWriteRequest } from './off-thread-audit.js';
import { SqliteStore } from './sqlite-store.js';

const { path, busyTimeoutMs } = workerData as { path: string; busyTimeoutMs?: number };
const store = new SqliteStore({ path, ...(busyTimeoutMs !== undefined ? { busyTimeoutMs } : {}) });

function run(m: AuditWriteRequest): unknown {
  switch (m.op) {
    case 'appendAudit':
      return store.appendAuditSync(m.records, m.incidents);
    case 'putCheckpoint':
      return store.putCheckpointSync(m.checkpoint);
  }
}

parentPort!.on('message', (m: AuditWriteRequest | 'close') => {
  if (m === 'close') {
    void store.close().then(() => parentPort!.close());
    return;
  }
  let reply: AuditWriteReply;
  try {
    // Synchronous (better-sqlite3): the reply is posted after the commit, never before.
    reply = { id: m.id, result: run(m) };
  } catch (e) {
    const err = e as { message?: string; code?: string; name?: string };
    reply = { id: m.id, error: { message: err.message ?? String(e), name: err.name ?? 'Error', ...(err.code ? { code: err.code } : {}) } };
  }
  parentPort!.postMessage(reply);
});
