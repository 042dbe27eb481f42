/**
 * The service's audit log: one record per decision (and per auth failure, reload, key change),
 * group-committed to the store; signed checkpoints of the chain head every N records or T seconds,
 * stored and published outside the store.
 */
import { signCheckpoint, verifyCheckpoint, type Checkpoint } from '../audit/chain/checkpoint.js';
import { FileCheckpointPublisher, defaultCheckpointFile } from '../audit/chain/file-publisher.js';
import { loadOrCreateAuditKey, type AuditSigningKey } from '../audit/chain/key-file.js';
import type { CheckpointPublisher } from '../audit/chain/publisher.js';
import type { AuditRecord, AuditRecordInput } from '../audit/chain/record.js';
import { ChainVerifier, type VerifyResult } from '../audit/chain/verify.js';
import { GroupCommitter } from '../audit/group-commit.js';
import type { Incident } from '../engine/types.js';
import type { Store } from '../store/port.js';
import type { Logger } from '../util/log.js';

export interface AuditLogOptions {
  key: AuditSigningKey;
  publisher: CheckpointPublisher;
  /** Sign a checkpoint after this many new records (default 1,000)… */
  checkpointEvery?: number;
  /** …or this often when anything was written (default 10 s). */
  checkpointIntervalMs?: number;
  onBatch?: (size: number) => void;
  /**
   * How long a batch may wait for more records while the queue still grows (default 2 ms). Needed
   * only when the store's write blocks the event loop; 0 when it does not.
   */
  gatherMs?: number;
  /** Batches handed to the store before the previous one committed (see GroupCommitOptions). */
  maxInFlight?: number;
  log?: Logger;
}

export interface AuditVerification extends VerifyResult {
  checkpoint?: { seq: number; hash: string; time: string; source: 'published' | 'store'; signatureValid: boolean };
}

export class AuditLog {
  readonly #committer: GroupCommitter<{ rec: AuditRecordInput; incident?: Incident }, AuditRecord>;
  #sinceCheckpoint = 0;
  #lastSeq = 0;
  #timer: NodeJS.Timeout | undefined;
  #checkpointing: Promise<Checkpoint | undefined> | undefined;

  constructor(
    private readonly store: Store,
    private readonly o: AuditLogOptions,
  ) {
    this.#committer = new GroupCommitter(
      (batch) => this.store.appendAudit(batch.map((b) => b.rec), batch.flatMap((b) => (b.incident ? [b.incident] : []))),
      { maxBatch: 512, ...(o.onBatch ? { onBatch: o.onBatch } : {}), gatherMs: o.gatherMs ?? 2, maxInFlight: o.maxInFlight ?? 1 },
    );
    this.#timer = setInterval(() => {
      if (this.#sinceCheckpoint > 0) void this.checkpoint().catch((e) => o.log?.error({ err: e }, 'audit checkpoint failed'));
    }, o.checkpointIntervalMs ?? 10_000);
    this.#timer.unref();
  }

  /** Resolves once the record (and the incident it reports, if any) is durable in the store. */
  async append(rec: AuditRecordInput, incident?: Incident): Promise<AuditRecord> {
    const r = await this.#committer.submit(incident ? { rec, incident } : { rec });
    this.#lastSeq = Math.max(this.#lastSeq, r.seq);
    if (++this.#sinceCheckpoint >= (this.o.checkpointEvery ?? 1000)) void this.checkpoint().catch((e) => this.o.log?.error({ err: e }, 'audit checkpoint failed'));
    return r;
  }

  /** Signs the current head, stores it and publishes it outside the store. One at a time. */
  checkpoint(): Promise<Checkpoint | undefined> {
    this.#checkpointing ??= (async () => {
      try {
        const head = await this.store.auditHead();
        if (head.seq === 0) return undefined;
        this.#sinceCheckpoint = 0;
        const cp = signCheckpoint(head, this.o.key.privateKey);
        await this.store.putCheckpoint(cp);
        await this.o.publisher.publish(cp);
        return cp;
      } finally {
        this.#checkpointing = undefined;
      }
    })();
    return this.#checkpointing;
  }

  /** Verifies the whole chain page by page, against the last published checkpoint (or the store's). */
  async verify(pageSize = 5000): Promise<AuditVerification> {
    const published = await this.o.publisher.latest();
    const stored = await this.store.latestCheckpoint();
    const cp = published && (!stored || published.seq >= stored.seq) ? { c: published, source: 'published' as const } : stored ? { c: stored, source: 'store' as const } : undefined;
    const sig = cp ? verifyCheckpoint(cp.c, this.o.key.publicKey) : undefined;
    if (cp && !sig?.ok) {
      return { ok: false, checked: 0, reason: `checkpoint at seq ${cp.c.seq} has an invalid signature: ${sig?.reason}`, head: { seq: 0, hash: '' }, checkpoint: { seq: cp.c.seq, hash: cp.c.hash, time: cp.c.time, source: cp.source, signatureValid: false } };
    }
    const v = new ChainVerifier(cp ? { checkpoint: { seq: cp.c.seq, hash: cp.c.hash } } : {});
    for (let from = 1; ; from += pageSize) {
      const page = await this.store.readAudit({ fromSeq: from, limit: pageSize });
      v.push(page);
      if (page.length < pageSize) break;
    }
    const r: AuditVerification = v.finish();
    if (cp) r.checkpoint = { seq: cp.c.seq, hash: cp.c.hash, time: cp.c.time, source: cp.source, signatureValid: true };
    return r;
  }

  get lastSeq(): number {
    return this.#lastSeq;
  }

  /** Flushes pending records and signs a final checkpoint. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.#committer.close();
    await this.#checkpointing;
    if (this.#sinceCheckpoint > 0) await this.checkpoint();
  }
}

export interface ServiceAuditOptions {
  home: string;
  /** Where signed checkpoints are published outside the store (default `<home>/audit/checkpoints.jsonl`). */
  checkpointFile?: string;
  /** The audit signing key file (default `<home>/keys/audit-ed25519.pem`). */
  auditKeyFile?: string;
  checkpointEvery?: number;
  log?: Logger;
}

/** The audit log as the decision service runs it on `store` (the service bench's audit floor uses it too). */
export function openServiceAuditLog(store: Store, o: ServiceAuditOptions): AuditLog {
  return new AuditLog(store, {
    key: loadOrCreateAuditKey({ home: o.home, ...(o.auditKeyFile ? { path: o.auditKeyFile } : {}) }),
    publisher: new FileCheckpointPublisher(o.checkpointFile ?? defaultCheckpointFile(o.home)),
    ...(o.checkpointEvery ? { checkpointEvery: o.checkpointEvery } : {}),
    // Neither store blocks the loop while it writes. For SQLite a batch still waits while it grows
    // (up to 1 ms, one event-loop turn when nothing more comes): each hand-over to the writer
    // thread is a postMessage, and ten records ride in one for about the price of one.
    gatherMs: store.dialect === 'sqlite' ? 1 : 0,
    // The SQLite worker commits in order and merges every batch queued behind a commit into the next
    // one, so batches are handed over as they form; PostgreSQL transactions would only queue on the head lock.
    maxInFlight: store.dialect === 'sqlite' ? 16 : 1,
    ...(o.log ? { log: o.log } : {}),
  });
}
