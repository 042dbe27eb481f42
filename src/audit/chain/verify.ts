/**
 * Chain verification. A checkpoint (a signed {seq, hash} published outside the store) is what catches a
 * truncated tail or a wholesale rewrite: without one, dropping the newest records leaves a valid chain.
 */
import { EMPTY_HEAD, HASH_PATTERN, recordHash, type AuditRecord, type ChainHead } from './record.js';

export interface VerifyResult {
  ok: boolean;
  /** Records that verified before the first problem (all of them when ok). */
  checked: number;
  /** Where the chain first stops verifying: the seq that is wrong, missing or out of place. */
  firstBadSeq?: number;
  /** Position in the records given (across all pushes) where the problem was found, when it is a record. */
  index?: number;
  reason?: string;
  /** The last record that verified (the anchor when none did). Pass it as `after` to verify the next page. */
  head: ChainHead;
}

export interface VerifyOptions {
  /** The record just before the first one given; default: the empty chain (records start at seq 1). */
  after?: ChainHead;
  /**
   * The last published checkpoint (check its signature with verifyCheckpoint first). The record at its
   * seq must carry its hash, and the log must reach at least that far.
   */
  checkpoint?: ChainHead;
}

/** Verifies a log page by page (push each page in order, then finish) without holding it all in memory. */
export class ChainVerifier {
  private head: ChainHead;
  private checked = 0;
  private index = 0;
  private failure: VerifyResult | undefined;
  private checkpointSeen = false;

  constructor(private readonly opts: VerifyOptions = {}) {
    this.head = opts.after ?? EMPTY_HEAD;
  }

  /** Returns the failure as soon as one is found (and keeps returning it). */
  push(records: readonly AuditRecord[]): VerifyResult | undefined {
    for (const r of records) {
      if (this.failure) return this.failure;
      const problem = this.check(r);
      if (problem) {
        this.failure = { ok: false, checked: this.checked, firstBadSeq: problem.seq, index: this.index, reason: problem.reason, head: this.head };
        return this.failure;
      }
      this.head = { seq: r.seq, hash: r.hash };
      this.checked++;
      this.index++;
    }
    return this.failure;
  }

  finish(): VerifyResult {
    if (this.failure) return this.failure;
    const cp = this.opts.checkpoint;
    if (cp && !this.checkpointSeen && cp.seq > this.head.seq) {
      return {
        ok: false,
        checked: this.checked,
        firstBadSeq: this.head.seq + 1,
        reason: `the log ends at seq ${this.head.seq} but the checkpoint names seq ${cp.seq}: records ${this.head.seq + 1}–${cp.seq} were removed (truncated tail)`,
        head: this.head,
      };
    }
    return { ok: true, checked: this.checked, head: this.head };
  }

  private check(r: AuditRecord): { seq: number; reason: string } | undefined {
    const expected = this.head.seq + 1;
    if (r === null || typeof r !== 'object' || !Number.isSafeInteger(r.seq)) {
      return { seq: expected, reason: `position ${this.index}: not an audit record` };
    }
    if (r.seq !== expected) {
      const why = r.seq > expected ? `seq ${expected}–${r.seq - 1} missing (deleted)` : `seq ${r.seq} repeated or moved (inserted or reordered)`;
      return { seq: expected, reason: `expected seq ${expected} at position ${this.index}, found seq ${r.seq}: ${why}` };
    }
    if (r.prevHash !== this.head.hash) {
      return { seq: r.seq, reason: `seq ${r.seq}: prevHash does not match the hash of seq ${this.head.seq} (a record before it was changed, removed or inserted)` };
    }
    let actual: string;
    try {
      actual = recordHash(r);
    } catch {
      return { seq: r.seq, reason: `seq ${r.seq}: contents are not valid JSON` };
    }
    if (typeof r.hash !== 'string' || !HASH_PATTERN.test(r.hash) || actual !== r.hash) {
      return { seq: r.seq, reason: `seq ${r.seq}: contents do not match its hash (the record was modified)` };
    }
    const cp = this.opts.checkpoint;
    if (cp && cp.seq === r.seq) {
      this.checkpointSeen = true;
      if (cp.hash !== r.hash) {
        return { seq: r.seq, reason: `seq ${r.seq}: hash differs from the signed checkpoint (history was rewritten)` };
      }
    }
    return undefined;
  }
}

/** Verifies records in seq order, from seq 1 unless `after` names the record before the first. */
export function verifyChain(records: readonly AuditRecord[], opts: VerifyOptions = {}): VerifyResult {
  const v = new ChainVerifier(opts);
  v.push(records);
  return v.finish();
}
