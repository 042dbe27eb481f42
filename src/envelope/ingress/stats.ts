/** Counters and the most recent denials: what `esq status` reports as having actually happened. */
import { DENIAL_STAGES, type DenialStage, type IngressDenial } from './types.js';

export interface IngressCounters {
  /** TLS connections that presented an acceptable workload certificate. */
  connections: number;
  requests: number;
  forwarded: number;
  upstreamErrors: number;
  denied: Record<DenialStage, number>;
}

export class IngressStats {
  readonly counters: IngressCounters = {
    connections: 0,
    requests: 0,
    forwarded: 0,
    upstreamErrors: 0,
    denied: Object.fromEntries(DENIAL_STAGES.map((s) => [s, 0])) as Record<DenialStage, number>,
  };
  readonly #recent: IngressDenial[] = [];
  readonly #keep: number;

  constructor(keep = 50) {
    this.#keep = keep;
  }

  denied(d: IngressDenial): void {
    this.counters.denied[d.stage]++;
    this.#recent.push(d);
    if (this.#recent.length > this.#keep) this.#recent.shift();
  }

  get totalDenied(): number {
    return DENIAL_STAGES.reduce((n, s) => n + this.counters.denied[s], 0);
  }

  /** Newest first. */
  recentDenials(limit = this.#keep): IngressDenial[] {
    return this.#recent.slice(-limit).reverse();
  }

  snapshot(): IngressCounters {
    return { ...this.counters, denied: { ...this.counters.denied } };
  }
}
