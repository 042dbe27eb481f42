/**
 * Traffic mirroring as the envelope file configures it (`mirror: { jsonl, bodies, queueSize }`):
 * one bounded queue feeding a JSON-lines sink, off the request path. The egress proxy and the
 * ingress offer every exchange (and refusal) to it.
 */
import { isAbsolute, resolve } from 'node:path';
import type { MirrorConfig } from '../config/load.js';
import { JsonlFileSink } from '../mirror/jsonl-sink.js';
import { createMirror, type Mirror, type MirrorStats } from '../mirror/mirror.js';

export interface TrafficMirror {
  mirror: Mirror;
  /** `jsonl:/abs/path`. */
  sink: string;
  bodyLimit: number;
  stats(): MirrorStats;
  close(): Promise<void>;
}

export function startTrafficMirror(cfg: MirrorConfig, home: string, log: (line: string) => void): TrafficMirror {
  const path = isAbsolute(cfg.jsonl) ? cfg.jsonl : resolve(home, cfg.jsonl);
  const sink = new JsonlFileSink(path);
  let warned = false;
  const mirror = createMirror({
    sinks: [sink],
    bodyLimit: cfg.bodyLimit,
    queueSize: cfg.queueSize,
    // Once: a broken sink must not flood the log; `esq status` shows the running count.
    onSinkError: (name, e) => {
      if (warned) return;
      warned = true;
      log(`! traffic mirror ${name} failed: ${(e as Error).message} (further failures are counted in esq status)`);
    },
  });
  return { mirror, sink: sink.name, bodyLimit: cfg.bodyLimit, stats: () => mirror.stats(), close: () => mirror.close() };
}
