/**
 * The mirror: a bounded in-memory queue between traffic and mirror sinks. `offer` is synchronous
 * and O(1); when the queue is full the event is dropped and counted, so a slow IDS can never slow
 * or stall the traffic it watches. Sinks get batches from a drain loop scheduled off the request path.
 */
import { InvalidInputError } from '../../errors.js';
import type { MirrorEvent, MirrorSink, MirrorTap } from './types.js';

/** Credentials are replaced before any sink sees an event. */
export const DEFAULT_REDACTED_HEADERS: readonly string[] = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key', 'x-esq-token', 'x-vault-token'];
export const REDACTED = '[redacted]';

export interface MirrorOptions {
  sinks: readonly MirrorSink[];
  /** Events held while sinks catch up. Default 1000. */
  queueSize?: number;
  /** Body bytes captured per message; 0 (default) = metadata only. */
  bodyLimit?: number;
  /** Events per sink write. Default 100. */
  batchSize?: number;
  redactHeaders?: readonly string[];
  /** Called (off the request path) when a sink's write fails. */
  onSinkError?: (sink: string, error: unknown) => void;
}

export interface MirrorStats {
  offered: number;
  dropped: number;
  delivered: number;
  sinkErrors: number;
  queued: number;
}

export interface Mirror extends MirrorTap {
  stats(): MirrorStats;
  /** Resolves once everything offered so far has been handed to the sinks. */
  flush(): Promise<void>;
  /** Flushes, closes the sinks, and drops later offers. */
  close(): Promise<void>;
}

function redact(h: Record<string, string | string[]> | undefined, names: ReadonlySet<string>): Record<string, string | string[]> | undefined {
  if (!h) return h;
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(h)) out[k] = names.has(k.toLowerCase()) ? REDACTED : v;
  return out;
}

export function createMirror(opts: MirrorOptions): Mirror {
  const queueSize = opts.queueSize ?? 1000;
  const batchSize = opts.batchSize ?? 100;
  const bodyLimit = opts.bodyLimit ?? 0;
  if (!Number.isInteger(queueSize) || queueSize < 1) throw new InvalidInputError('mirror queueSize must be a positive integer');
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new InvalidInputError('mirror batchSize must be a positive integer');
  if (!Number.isInteger(bodyLimit) || bodyLimit < 0) throw new InvalidInputError('mirror bodyLimit must be a non-negative integer');
  const names = new Set((opts.redactHeaders ?? DEFAULT_REDACTED_HEADERS).map((n) => n.toLowerCase()));
  const queue: MirrorEvent[] = [];
  const s = { offered: 0, dropped: 0, delivered: 0, sinkErrors: 0 };
  let closed = false;
  let draining: Promise<void> | undefined;

  async function drain(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.splice(0, batchSize).map((e) => ({ ...e, requestHeaders: redact(e.requestHeaders, names), responseHeaders: redact(e.responseHeaders, names) }));
      for (const e of batch) {
        if (e.requestHeaders === undefined) delete e.requestHeaders;
        if (e.responseHeaders === undefined) delete e.responseHeaders;
      }
      for (const sink of opts.sinks) {
        try {
          await sink.write(batch);
        } catch (err) {
          s.sinkErrors++;
          try {
            opts.onSinkError?.(sink.name, err);
          } catch {
            /* the error hook must not stop the drain */
          }
        }
      }
      s.delivered += batch.length;
    }
  }

  function schedule(): void {
    if (draining) return;
    draining = new Promise<void>((resolve) => setImmediate(resolve)).then(drain).finally(() => {
      draining = undefined;
      if (queue.length > 0) schedule();
    });
  }

  return {
    bodyLimit,
    offer(event) {
      s.offered++;
      if (closed || queue.length >= queueSize) {
        s.dropped++;
        return false;
      }
      queue.push(event);
      schedule();
      return true;
    },
    stats: () => ({ ...s, queued: queue.length }),
    async flush() {
      while (draining || queue.length > 0) {
        if (!draining) schedule();
        await draining;
      }
    },
    async close() {
      closed = true;
      await this.flush();
      for (const sink of opts.sinks) await sink.close?.().catch(() => undefined);
    },
  };
}
